package dev.vrrp.e2e;

import dev.vrrp.lab.AddressChanges;
import dev.vrrp.lab.Segment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;

/**
 * How long no node holds an address while it moves from one node to others, from the kernel's own
 * address notifications ({@link AddressChanges}): from the moment the first node lets it go until
 * another one has it (zero when another one had it first).
 */
final class HolderGap {
  private final AddressChanges changes;
  private final String address;
  private final String from;
  private final List<String> to;

  private HolderGap(AddressChanges changes, String address, String from, List<String> to) {
    this.changes = changes;
    this.address = address;
    this.from = from;
    this.to = to;
  }

  /** Starts watching: {@code from} holds {@code address} now, one of {@code to} will. */
  static HolderGap watch(Segment lan, String address, String from, List<String> to) {
    List<String> nodes = new ArrayList<>(to);
    nodes.add(from);
    AddressChanges changes = AddressChanges.watch(lan, nodes, List.of(address));
    if (!changes.initial().get(from).contains(address)) {
      changes.close();
      throw new IllegalStateException(from + " does not hold " + address);
    }
    return new HolderGap(changes, address, from, to);
  }

  /** The gap in seconds, once another node holds the address. */
  double await(Duration atMost) {
    try {
      return Awaitility.await()
          .atMost(atMost)
          .pollInterval(Duration.ofMillis(20))
          .until(this::gap, Optional::isPresent)
          .orElseThrow();
    } finally {
      changes.close();
    }
  }

  private Optional<Double> gap() {
    Instant released = null;
    Instant taken = null;
    for (AddressChanges.Change c : changes.changes()) {
      if (!c.address().equals(address)) {
        continue;
      }
      if (released == null && !c.added() && c.node().equals(from)) {
        released = c.at();
      } else if (taken == null && c.added() && to.contains(c.node())) {
        taken = c.at();
      }
    }
    if (released == null || taken == null) {
      return Optional.empty();
    }
    return Optional.of(Math.max(0, Duration.between(released, taken).toNanos() / 1e9));
  }
}
