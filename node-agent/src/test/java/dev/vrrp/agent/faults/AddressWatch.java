package dev.vrrp.agent.faults;

import dev.vrrp.lab.AddressChanges;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When each node's eth0 held the VIP, from the kernel's own address notifications ({@link
 * AddressChanges}): the kernel's view, which the wire cannot show (a crashed agent's stale copy
 * answers nobody until a client asks for it). Polling {@code ip address} instead would cost a
 * process per node every few tens of milliseconds and miss an overlap shorter than one round.
 */
final class AddressWatch implements AutoCloseable {
  private final AddressChanges changes;
  private final String vip;

  AddressWatch(Map<String, String> namespaceByNode, String vip) {
    this.vip = vip;
    this.changes = AddressChanges.watch(namespaceByNode, List.of(vip));
  }

  /** The longest time in [from, to] during which the VIP was configured on two nodes at once. */
  long onTwoNodes(long from, long to) {
    return Timeline.longestOverlap(Timeline.clip(spans(now()), from, to));
  }

  /** Each node's spans of holding the VIP, the ones still open ending at {@code end}. */
  private List<Timeline.Span> spans(long end) {
    long start = nanos(changes.since());
    Map<String, Long> since = new HashMap<>();
    changes
        .initial()
        .forEach(
            (node, held) -> {
              if (held.contains(vip)) {
                since.put(node, start);
              }
            });
    List<Timeline.Span> spans = new ArrayList<>();
    for (AddressChanges.Change c : changes.changes()) {
      if (!c.address().equals(vip)) {
        continue;
      }
      long at = nanos(c.at());
      if (c.added()) {
        since.putIfAbsent(c.node(), at);
      } else {
        Long from = since.remove(c.node());
        if (from != null) {
          spans.add(new Timeline.Span(c.node(), from, at));
        }
      }
    }
    since.forEach((node, from) -> spans.add(new Timeline.Span(node, from, end)));
    return spans;
  }

  static long now() {
    return nanos(Instant.now());
  }

  private static long nanos(Instant i) {
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  @Override
  public void close() {
    changes.close();
  }
}
