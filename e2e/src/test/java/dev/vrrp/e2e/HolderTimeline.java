package dev.vrrp.e2e;

import dev.vrrp.lab.AddressChanges;
import dev.vrrp.lab.Segment;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who holds each address over a stretch of time with several handovers (a rolling update), from the
 * kernel's own address notifications on every node ({@link AddressChanges}): per address the
 * longest time no node held it, the longest time two held it (a preemption's overlap), and how
 * often the holder changed.
 */
final class HolderTimeline implements AutoCloseable {
  /** What one address went through. */
  record Summary(
      double longestUnheldSeconds,
      String longestUnheldBetween,
      double longestDoubleSeconds,
      int holderChanges) {}

  private final AddressChanges changes;
  private final List<String> addresses;

  private HolderTimeline(AddressChanges changes, List<String> addresses) {
    this.changes = changes;
    this.addresses = addresses;
  }

  /** Starts watching {@code addresses} on {@code nodes}. */
  static HolderTimeline watch(Segment lan, List<String> addresses, List<String> nodes) {
    return new HolderTimeline(AddressChanges.watch(lan, nodes, addresses), addresses);
  }

  /** Stops watching; per address what it went through. */
  Map<String, Summary> stop() {
    Instant end = Instant.now();
    List<AddressChanges.Change> seen = changes.changes();
    changes.close();
    Map<String, Summary> summaries = new LinkedHashMap<>();
    for (String address : addresses) {
      Set<String> holders = new HashSet<>();
      changes
          .initial()
          .forEach(
              (node, held) -> {
                if (held.contains(address)) {
                  holders.add(node);
                }
              });
      Track track = new Track();
      track.look(holders, 0);
      for (AddressChanges.Change c : seen) {
        if (c.address().equals(address) && !c.at().isAfter(end)) {
          if (c.added()) {
            holders.add(c.node());
          } else {
            holders.remove(c.node());
          }
          track.look(holders, nanosSinceStart(c.at()));
        }
      }
      summaries.put(address, track.summary(nanosSinceStart(end)));
    }
    return summaries;
  }

  private long nanosSinceStart(Instant at) {
    return Math.max(0, Duration.between(changes.since(), at).toNanos());
  }

  @Override
  public void close() {
    changes.close();
  }

  private static final class Track {
    private String lastHolder;
    private String releasedBy;
    private String longestBetween = "";
    private long unheldSince = -1;
    private long doubleSince = -1;
    private long longestUnheld;
    private long longestDouble;
    private int changes;

    void look(Set<String> holders, long at) {
      if (holders.isEmpty() && unheldSince < 0) {
        releasedBy = lastHolder;
      } else if (!holders.isEmpty() && unheldSince >= 0 && at - unheldSince > longestUnheld) {
        longestBetween = releasedBy + " -> " + holders + " at " + String.format("%.3f s", at / 1e9);
      }
      if (holders.size() == 1) {
        String holder = holders.iterator().next();
        if (lastHolder != null && !lastHolder.equals(holder)) {
          changes++;
        }
        lastHolder = holder;
      }
      unheldSince = since(holders.isEmpty(), unheldSince, at, true);
      doubleSince = since(holders.size() > 1, doubleSince, at, false);
    }

    /** The start of a stretch in which {@code now} holds, closing (and measuring) an ended one. */
    private long since(boolean now, long since, long at, boolean unheld) {
      if (now) {
        return since < 0 ? at : since;
      }
      if (since >= 0) {
        if (unheld) {
          longestUnheld = Math.max(longestUnheld, at - since);
        } else {
          longestDouble = Math.max(longestDouble, at - since);
        }
      }
      return -1;
    }

    Summary summary(long end) {
      since(false, unheldSince, end, true);
      since(false, doubleSince, end, false);
      return new Summary(longestUnheld / 1e9, longestBetween, longestDouble / 1e9, changes);
    }
  }
}
