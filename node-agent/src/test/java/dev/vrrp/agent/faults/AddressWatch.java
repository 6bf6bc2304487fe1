package dev.vrrp.agent.faults;

import dev.vrrp.lab.Netns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Polls every node's eth0 every few tens of milliseconds and records when each holds the VIP: the
 * kernel's view, which the wire cannot show (a crashed agent's stale copy answers nobody until a
 * client asks for it).
 */
final class AddressWatch implements AutoCloseable {
  private final Map<String, String> namespaceByNode;
  private final String vip;
  private final List<Timeline.Span> spans = new ArrayList<>(); // guarded by this
  private final Thread thread;
  private volatile boolean stopped;

  AddressWatch(Map<String, String> namespaceByNode, String vip) {
    this.namespaceByNode = Map.copyOf(namespaceByNode);
    this.vip = vip;
    this.thread = new Thread(this::poll, "address-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void poll() {
    Map<String, Long> since = new HashMap<>();
    while (!stopped) {
      for (var node : namespaceByNode.entrySet()) {
        boolean holds =
            Netns.tryRun("ip", "-n", node.getValue(), "-o", "address", "show", "dev", "eth0")
                .output()
                .contains(" " + vip + "/");
        long now = now();
        Long start = since.get(node.getKey());
        if (holds && start == null) {
          since.put(node.getKey(), now);
        } else if (!holds && start != null) {
          since.remove(node.getKey());
          record(new Timeline.Span(node.getKey(), start, now));
        }
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      }
    }
    long now = now();
    since.forEach((node, start) -> record(new Timeline.Span(node, start, now)));
  }

  private synchronized void record(Timeline.Span span) {
    spans.add(span);
  }

  /** The longest time in [from, to] during which the VIP was configured on two nodes at once. */
  synchronized long onTwoNodes(long from, long to) {
    return Timeline.longestOverlap(Timeline.clip(spans, from, to));
  }

  static long now() {
    Instant i = Instant.now();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(5000);
  }
}
