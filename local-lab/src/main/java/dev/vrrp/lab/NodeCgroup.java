package dev.vrrp.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A lab node's cgroup ({@code /<name>} in every cgroup v1 hierarchy): node.sh puts containerd, its
 * shims and the kubelet in it, the kubelet its pods. The one place that knows every process of a
 * node, the containers in their own namespaces included, so a failed node stops at once and a lab
 * that crashed leaves nothing running.
 */
public final class NodeCgroup {
  private static final Path ROOT = Path.of("/sys/fs/cgroup");

  private final String name;

  public NodeCgroup(String name) {
    this.name = name;
  }

  public String path() {
    return "/" + name;
  }

  /** Kills every process in the node (SIGKILL), until none is left or 10 s have passed. */
  void killAll() {
    long deadline = System.nanoTime() + 10_000_000_000L;
    List<Long> pids = pids();
    while (!pids.isEmpty() && System.nanoTime() < deadline) {
      pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      sleep();
      pids = pids();
    }
  }

  /** Kills what is left and removes the node's cgroups in every hierarchy; true if any existed. */
  boolean remove() {
    killAll();
    boolean existed = false;
    for (Path dir : mine()) {
      existed = true;
      try (Stream<Path> tree = Files.walk(dir)) {
        for (Path d : tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(d); // rmdir: a cgroup's files go with it
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove the cgroup " + dir, e);
      }
    }
    return existed;
  }

  /** The process ids in the node's cgroup tree. */
  public List<Long> pids() {
    List<Long> pids = new ArrayList<>();
    for (Path dir : mine()) {
      try (Stream<Path> tree = Files.walk(dir)) {
        for (Path procs : tree.filter(p -> p.endsWith("cgroup.procs")).toList()) {
          for (String line : Files.readAllLines(procs)) {
            if (!line.isBlank() && !pids.contains(Long.parseLong(line.strip()))) {
              pids.add(Long.parseLong(line.strip()));
            }
          }
        }
      } catch (IOException e) {
        // the tree changed while we read it: the next round reads it again
      }
    }
    return pids;
  }

  private List<Path> mine() {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> hierarchies = Files.list(ROOT)) {
      for (Path hierarchy : hierarchies.toList()) {
        Path dir = hierarchy.resolve(name);
        if (Files.isDirectory(dir)) {
          found.add(dir);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  /** The node cgroups a lab with this prefix may have left (after a crash). */
  public static List<NodeCgroup> leftovers(String prefix) {
    List<NodeCgroup> found = new ArrayList<>();
    try (Stream<Path> hierarchies = Files.list(ROOT)) {
      for (Path hierarchy : hierarchies.toList()) {
        try (Stream<Path> dirs = Files.list(hierarchy)) {
          dirs.map(d -> d.getFileName().toString())
              .filter(n -> n.startsWith(prefix + "-"))
              .filter(n -> found.stream().noneMatch(c -> c.name.equals(n)))
              .forEach(n -> found.add(new NodeCgroup(n)));
        } catch (IOException e) {
          // not a directory (cgroup.* files of a hybrid root)
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  @Override
  public String toString() {
    return path();
  }

  private static void sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
