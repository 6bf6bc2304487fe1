package dev.vrrp.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The nodes' address additions and removals on {@code eth0} as the kernel announces them ({@code ip
 * -n NS -tshort monitor address}, one per node), each stamped by {@code ip} when it reads the
 * netlink message. Polling {@code ip address} instead measures the polling: on a loaded machine a
 * look at three namespaces takes 50 to 150 ms, as long as the handover being timed.
 */
public final class AddressChanges implements AutoCloseable {
  /** One address appearing on or leaving a node. */
  public record Change(Instant at, String node, String address, boolean added) {}

  // [2026-12-03T15:09:23.978586] Deleted 3: eth0    inet 192.0.2.7/24 scope global eth0
  private static final Pattern LINE =
      Pattern.compile("^\\[([^\\]]+)\\] (Deleted )?\\d+: (\\S+)\\s+inet6? ([0-9A-Fa-f.:]+)/\\d+");

  /** How long {@code ip monitor} gets to open its netlink socket before the first look. */
  private static final long MONITOR_START_MILLIS = 500;

  private final Map<String, Set<String>> initial;
  private final Instant since;
  private final List<Process> monitors;
  private final List<Thread> readers;
  // the readers append, under its lock
  private final List<Change> seen;

  private AddressChanges(
      Map<String, Set<String>> initial,
      Instant since,
      List<Process> monitors,
      List<Thread> readers,
      List<Change> seen) {
    this.initial = initial;
    this.since = since;
    this.monitors = monitors;
    this.readers = readers;
    this.seen = seen;
  }

  /**
   * Starts watching {@code nodes} of the segment; which of {@code addresses} each holds now is the
   * start.
   */
  public static AddressChanges watch(
      Segment lan, List<String> nodes, Collection<String> addresses) {
    Map<String, String> namespaceByNode = new LinkedHashMap<>();
    nodes.forEach(node -> namespaceByNode.put(node, lan.ns(node)));
    return watch(namespaceByNode, addresses);
  }

  /**
   * Starts watching the nodes (name to network namespace); which of {@code addresses} each holds
   * now is the start.
   */
  public static AddressChanges watch(
      Map<String, String> namespaceByNode, Collection<String> addresses) {
    List<Change> seen = new ArrayList<>();
    List<Process> monitors = new ArrayList<>();
    List<Thread> readers = new ArrayList<>();
    for (String node : namespaceByNode.keySet()) {
      Process monitor;
      try {
        monitor =
            new ProcessBuilder(
                    "ip", "-n", namespaceByNode.get(node), "-tshort", "monitor", "address")
                .redirectErrorStream(true)
                .start();
      } catch (IOException e) {
        monitors.forEach(Process::destroy);
        throw new UncheckedIOException("ip monitor address on " + node, e);
      }
      monitors.add(monitor);
      Thread reader = new Thread(() -> read(node, monitor, seen), "addresses-" + node);
      reader.setDaemon(true);
      reader.start();
      readers.add(reader);
    }
    try {
      Thread.sleep(MONITOR_START_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Process monitor : monitors) {
      if (!monitor.isAlive()) {
        monitors.forEach(Process::destroy);
        throw new IllegalStateException("ip monitor address exited with " + monitor.exitValue());
      }
    }
    Instant since = Instant.now();
    Map<String, Set<String>> initial = new HashMap<>();
    namespaceByNode.forEach((node, ns) -> initial.put(node, heldOnEth0(ns, addresses)));
    return new AddressChanges(initial, since, monitors, readers, seen);
  }

  /** Which of {@code addresses} eth0 in the namespace has now: one look for all of them. */
  public static Set<String> heldOnEth0(String namespace, Collection<String> addresses) {
    String shown = Netns.tryIn(namespace, "ip", "-o", "address", "show", "dev", "eth0").output();
    Set<String> held = new HashSet<>();
    for (String address : addresses) {
      if (shown.contains(" " + address + "/")) {
        held.add(address);
      }
    }
    return held;
  }

  private static void read(String node, Process monitor, List<Change> seen) {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(monitor.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        parse(node, line)
            .ifPresent(
                c -> {
                  synchronized (seen) {
                    seen.add(c);
                  }
                });
      }
    } catch (IOException e) {
      // the monitor was stopped
    }
  }

  /** The change a line of {@code ip -tshort monitor address} reports on eth0, if any. */
  public static Optional<Change> parse(String node, String line) {
    Matcher m = LINE.matcher(line);
    if (!m.find() || !"eth0".equals(m.group(3))) {
      return Optional.empty();
    }
    Instant at = LocalDateTime.parse(m.group(1)).atZone(ZoneId.systemDefault()).toInstant();
    return Optional.of(new Change(at, node, m.group(4), m.group(2) == null));
  }

  /** When the watch took its first look. */
  public Instant since() {
    return since;
  }

  /** Which of the addresses each node held at the first look. */
  public Map<String, Set<String>> initial() {
    return initial;
  }

  /** The changes after the first look so far, in the order they happened. */
  public List<Change> changes() {
    List<Change> all;
    synchronized (seen) {
      all = new ArrayList<>(seen);
    }
    all.removeIf(c -> c.at().isBefore(since));
    all.sort(Comparator.comparing(Change::at));
    return all;
  }

  @Override
  public void close() {
    monitors.forEach(Process::destroy);
    for (Thread reader : readers) {
      try {
        reader.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
