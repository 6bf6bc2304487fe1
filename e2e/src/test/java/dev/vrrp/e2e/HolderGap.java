package dev.vrrp.e2e;

import dev.vrrp.lab.Segment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How long no node holds an address while it moves from one node to others: polled in the nodes'
 * namespaces as fast as {@code ip address} runs (a few ms per look), from the moment the first node
 * lets it go until another one has it.
 */
final class HolderGap {
  private final CompletableFuture<Double> seconds;

  private HolderGap(CompletableFuture<Double> seconds) {
    this.seconds = seconds;
  }

  /** Starts watching: {@code from} holds {@code address} now, one of {@code to} will. */
  static HolderGap watch(Segment lan, String address, String from, List<String> to) {
    if (!lan.holds(from, address)) {
      throw new IllegalStateException(from + " does not hold " + address);
    }
    return new HolderGap(
        CompletableFuture.supplyAsync(
            () -> {
              while (lan.holds(from, address)) {
                Thread.onSpinWait();
              }
              long released = System.nanoTime();
              while (to.stream().noneMatch(n -> lan.holds(n, address))) {
                Thread.onSpinWait();
              }
              return (System.nanoTime() - released) / 1e9;
            }));
  }

  /** The gap in seconds, once another node holds the address. */
  double await(Duration atMost) throws Exception {
    return seconds.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
  }
}
