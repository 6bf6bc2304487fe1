package dev.vrrp.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Removes a lab, running or crashed: asks the lab process to stop, then kills whatever is left of
 * its process group, of its nodes' cgroups (kubelets, containerd, pods) and of anything started
 * with the state directory on its command line, deletes the lab's network namespaces and finally
 * the state directory (the nodes' mounts lived in their own mount namespaces and went with them).
 * Safe to run when there is nothing to remove.
 */
final class Cleanup {
  private Cleanup() {}

  static void run(LabCommand.LabState state, String prefix, Consumer<String> say)
      throws InterruptedException {
    boolean anything = false;
    var pid = state.pid();
    var process = state.process();
    if (process.isPresent()) {
      anything = true;
      say.accept(
          "stopping the lab process (pid "
              + pid.orElseThrow()
              + "): nodes, control plane, network");
      try {
        state.send("stop");
      } catch (IOException e) {
        process.get().destroy();
      }
      try {
        process.get().onExit().get(60, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        say.accept("it did not stop within 60 s: killing it. The end of its log:");
        tail(state.log(), 15).forEach(line -> say.accept("  " + line));
      }
    }
    if (pid.isPresent()) {
      // setsid made the lab process a group leader: etcd, kube-apiserver, relays and pods are in
      // its group
      Netns.tryRun("kill", "-9", "--", "-" + pid.get());
    }
    // the nodes' processes, pods included (their containers are in no namespace of the lab's)
    for (NodeCgroup node : NodeCgroup.leftovers(prefix)) {
      anything = true;
      int count = node.pids().size();
      node.remove();
      say.accept("stopped node cgroup " + node + (count > 0 ? " (" + count + " processes)" : ""));
    }
    List<Long> strays = processesMentioning(state.dir().toString());
    for (long stray : strays) {
      anything = true;
      ProcessHandle.of(stray).ifPresent(ProcessHandle::destroyForcibly);
    }
    if (!strays.isEmpty()) {
      say.accept("killed " + strays.size() + " leftover process(es) " + strays);
    }
    List<String> namespaces = Segment.removeLeftovers(prefix);
    if (!namespaces.isEmpty()) {
      anything = true;
      say.accept("deleted network namespaces " + namespaces);
    }
    if (Files.exists(state.dir())) {
      anything = true;
      deleteTree(state.dir());
      say.accept("deleted " + state.dir());
    }
    say.accept(
        anything ? "the lab is down" : "nothing to do: no lab is running and nothing is left over");
  }

  private static List<String> tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return all.subList(Math.max(0, all.size() - lines), all.size());
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Processes whose command line contains {@code text} (not this one). */
  private static List<Long> processesMentioning(String text) {
    List<Long> found = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    try (Stream<Path> proc = Files.list(Path.of("/proc"))) {
      for (Path dir : proc.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmdline =
              new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8);
          long pid = Long.parseLong(dir.getFileName().toString());
          if (pid != self && cmdline.contains(text)) {
            found.add(pid);
          }
        } catch (IOException e) {
          // it exited meanwhile
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  /** Deletes a directory tree; symbolic links are deleted, never followed. */
  static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
