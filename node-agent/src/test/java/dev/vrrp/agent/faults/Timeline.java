package dev.vrrp.agent.faults;

import dev.vrrp.agent.faults.Observation.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the frames of a capture into figures per window. Pure: the rules of what counts as a master
 * live here, and are unit tested, so a wrong rule cannot hide a failure.
 *
 * <p>A node is master from its first advertisement of a run (advertisements at most 1.5 intervals
 * apart) to its last, and after its last for at most one more interval, ended early by an
 * advertisement from a node that beats it (a higher priority, or the same priority and a later run
 * start is not enough: only priority decides here, since the suite gives each node its own). A node
 * that yields on hearing a better master thus adds nothing, nor one that resigns with priority 0;
 * one that keeps advertising after it, as both sides of a partition do, adds the whole overlap. The
 * wire cannot show when a node that sent one more advertisement just as a better one arrived
 * yielded: such a race counts up to one interval (the kernels' view, {@link AddressWatch}, is the
 * exact one).
 */
final class Timeline {
  private final List<Observation> seen;
  private final long intervalNanos;

  private final List<Span> mastership;

  Timeline(List<Observation> seen, long intervalNanos) {
    this.seen = seen.stream().sorted(Comparator.comparingLong(Observation::nanos)).toList();
    this.intervalNanos = intervalNanos;
    // from the whole capture: a window that starts inside a run still knows who was master
    this.mastership = mastership(this.seen.stream().filter(o -> o.kind() == Kind.ADVERT).toList());
  }

  Figures measure(long from, long to) {
    List<Observation> window =
        seen.stream().filter(o -> o.nanos() >= from && o.nanos() <= to).toList();
    List<Observation> adverts =
        window.stream().filter(o -> o.kind() == Kind.ADVERT && o.priority() > 0).toList();
    List<Span> mastership = clip(this.mastership, from, to);
    return new Figures(
        millis(longestGap(window.stream().filter(o -> o.kind() == Kind.ECHO_REPLY).toList())),
        millis(overlap(mastership)),
        millis(longestGap(adverts)),
        millis(overlap(answering(window))),
        strayArp(window, mastership),
        masters(adverts));
  }

  /** How many times the node became master (runs of its advertisements) within [from, to]. */
  long masterRuns(String node, long from, long to) {
    return mastership.stream()
        .filter(s -> s.node().equals(node) && s.start() >= from && s.start() <= to)
        .count();
  }

  /** A node's stretch of time in some role. */
  record Span(String node, long start, long end) {}

  private List<Span> mastership(List<Observation> allAdverts) {
    List<Observation> adverts = allAdverts.stream().filter(a -> a.priority() > 0).toList();
    Map<String, List<Observation>> byNode = new LinkedHashMap<>();
    adverts.forEach(a -> byNode.computeIfAbsent(a.node(), n -> new ArrayList<>()).add(a));
    List<Span> spans = new ArrayList<>();
    long runGap = intervalNanos * 3 / 2;
    for (List<Observation> own : byNode.values()) {
      int i = 0;
      while (i < own.size()) {
        int j = i;
        while (j + 1 < own.size() && own.get(j + 1).nanos() - own.get(j).nanos() <= runGap) {
          j++;
        }
        Observation last = own.get(j);
        long end = last.nanos() + intervalNanos;
        for (Observation other : allAdverts) {
          boolean beaten = !other.node().equals(last.node()) && other.priority() > last.priority();
          boolean resigned = other.node().equals(last.node()) && other.priority() == 0;
          if (other.nanos() > last.nanos() && other.nanos() < end && (beaten || resigned)) {
            end = other.nanos();
            break;
          }
        }
        spans.add(new Span(last.node(), own.get(i).nanos(), end));
        i = j + 1;
      }
    }
    return spans;
  }

  static List<Span> clip(List<Span> spans, long from, long to) {
    List<Span> clipped = new ArrayList<>();
    for (Span s : spans) {
      long start = Math.max(from, s.start());
      long end = Math.min(to, s.end());
      if (end > start) {
        clipped.add(new Span(s.node(), start, end));
      }
    }
    return clipped;
  }

  // each node's replies from its first to its last in the window
  private static List<Span> answering(List<Observation> window) {
    Map<String, long[]> firstLast = new LinkedHashMap<>();
    for (Observation o : window) {
      if (o.kind() == Kind.ECHO_REPLY) {
        firstLast.merge(
            o.node(),
            new long[] {o.nanos(), o.nanos()},
            (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
      }
    }
    return firstLast.entrySet().stream()
        .map(e -> new Span(e.getKey(), e.getValue()[0], e.getValue()[1]))
        .toList();
  }

  /** Time covered by spans of two different nodes at once. */
  static long overlap(List<Span> spans) {
    return merged(spans).stream().mapToLong(d -> d[1] - d[0]).sum();
  }

  /** The longest stretch of time with spans of two different nodes at once. */
  static long longestOverlap(List<Span> spans) {
    return merged(spans).stream().mapToLong(d -> d[1] - d[0]).max().orElse(0);
  }

  // the stretches where spans of two different nodes overlap, merged, in order
  private static List<long[]> merged(List<Span> spans) {
    List<long[]> dual = new ArrayList<>();
    for (int i = 0; i < spans.size(); i++) {
      for (int j = i + 1; j < spans.size(); j++) {
        Span a = spans.get(i);
        Span b = spans.get(j);
        if (a.node().equals(b.node())) {
          continue;
        }
        long start = Math.max(a.start(), b.start());
        long end = Math.min(a.end(), b.end());
        if (end > start) {
          dual.add(new long[] {start, end});
        }
      }
    }
    // three masters at once must not count twice: merge before summing
    dual.sort(Comparator.comparingLong(d -> d[0]));
    List<long[]> merged = new ArrayList<>();
    for (long[] d : dual) {
      long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && d[0] <= last[1]) {
        last[1] = Math.max(last[1], d[1]);
      } else {
        merged.add(new long[] {d[0], d[1]});
      }
    }
    return merged;
  }

  private static long longestGap(List<Observation> sorted) {
    long gap = 0;
    for (int i = 1; i < sorted.size(); i++) {
      gap = Math.max(gap, sorted.get(i).nanos() - sorted.get(i - 1).nanos());
    }
    return gap;
  }

  private static List<String> strayArp(List<Observation> window, List<Span> mastership) {
    List<String> stray = new ArrayList<>();
    for (Observation o : window) {
      if (o.kind() != Kind.ARP_CLAIM) {
        continue;
      }
      boolean master =
          mastership.stream()
              .anyMatch(
                  s -> s.node().equals(o.node()) && o.nanos() >= s.start() && o.nanos() <= s.end());
      if (!master) {
        stray.add(o.node());
      }
    }
    return stray;
  }

  private static List<String> masters(List<Observation> adverts) {
    Set<String> order = new LinkedHashSet<>();
    adverts.forEach(a -> order.add(a.node()));
    return List.copyOf(order);
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }
}
