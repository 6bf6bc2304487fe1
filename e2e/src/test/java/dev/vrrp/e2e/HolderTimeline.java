package dev.vrrp.e2e;

import dev.vrrp.lab.Segment;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Who holds each address over a stretch of time with several handovers (a rolling update), looked
 * up in every node's namespace as fast as {@code ip address} runs (one look per node for all the
 * addresses, a few ms each): per address the longest time no node held it, the longest time two
 * held it (a preemption's overlap), and how often the holder changed.
 */
final class HolderTimeline implements AutoCloseable {
  /** What one address went through. */
  record Summary(double longestUnheldSeconds, double longestDoubleSeconds, int holderChanges) {}

  private final AtomicBoolean running;
  private final CompletableFuture<Map<String, Summary>> result;

  private HolderTimeline(AtomicBoolean running, CompletableFuture<Map<String, Summary>> result) {
    this.running = running;
    this.result = result;
  }

  /** Starts watching {@code addresses} on {@code nodes}. */
  static HolderTimeline watch(Segment lan, List<String> addresses, List<String> nodes) {
    AtomicBoolean running = new AtomicBoolean(true);
    return new HolderTimeline(
        running, CompletableFuture.supplyAsync(() -> track(lan, addresses, nodes, running)));
  }

  private static Map<String, Summary> track(
      Segment lan, List<String> addresses, List<String> nodes, AtomicBoolean running) {
    Map<String, Track> tracks = new LinkedHashMap<>();
    addresses.forEach(a -> tracks.put(a, new Track()));
    while (running.get()) {
      Map<String, Set<String>> holders = new HashMap<>();
      for (String node : nodes) {
        for (String address : lan.held(node, addresses)) {
          holders.computeIfAbsent(address, a -> new HashSet<>()).add(node);
        }
      }
      long now = System.nanoTime();
      tracks.forEach((address, track) -> track.look(holders.getOrDefault(address, Set.of()), now));
    }
    long end = System.nanoTime();
    Map<String, Summary> summaries = new LinkedHashMap<>();
    tracks.forEach((address, track) -> summaries.put(address, track.summary(end)));
    return summaries;
  }

  /** Stops watching; per address what it went through. */
  Map<String, Summary> stop() throws Exception {
    running.set(false);
    return result.get();
  }

  @Override
  public void close() {
    running.set(false);
  }

  private static final class Track {
    private String lastHolder;
    private long unheldSince = -1;
    private long doubleSince = -1;
    private long longestUnheld;
    private long longestDouble;
    private int changes;

    void look(Set<String> holders, long at) {
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
      return new Summary(longestUnheld / 1e9, longestDouble / 1e9, changes);
    }
  }
}
