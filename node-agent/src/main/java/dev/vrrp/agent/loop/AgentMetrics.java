package dev.vrrp.agent.loop;

import dev.vrrp.engine.VrrpState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/** The Prometheus meters of one instance; names follow the Prometheus conventions. */
final class AgentMetrics {
  private final MeterRegistry registry;
  private final String instance;
  final Counter sent;
  final Counter received;
  final Counter splitBrain;
  final Counter addressMismatch;
  final AtomicInteger state = new AtomicInteger();
  final AtomicInteger effectivePriority = new AtomicInteger();

  AgentMetrics(MeterRegistry registry, String instance) {
    this.registry = registry;
    this.instance = instance;
    sent =
        Counter.builder("vrrp_advertisements_sent")
            .tag("instance", instance)
            .description("Advertisements sent")
            .register(registry);
    received =
        Counter.builder("vrrp_advertisements_received")
            .tag("instance", instance)
            .description("Valid advertisements received for this instance")
            .register(registry);
    splitBrain =
        Counter.builder("vrrp_conflicting_masters")
            .tag("instance", instance)
            .description(
                "Advertisements from another master of lower priority (split brain this node won)")
            .register(registry);
    addressMismatch =
        Counter.builder("vrrp_address_mismatches")
            .tag("instance", instance)
            .description("Advertisements for our VRID listing other addresses")
            .register(registry);
    registry.gauge("vrrp_state", List.of(Tag.of("instance", instance)), state, AtomicInteger::get);
    registry.gauge(
        "vrrp_effective_priority",
        List.of(Tag.of("instance", instance)),
        effectivePriority,
        AtomicInteger::get);
  }

  /** A master found one of its addresses missing from the interface and put it back. */
  void dataPathRepaired() {
    Counter.builder("vrrp_data_path_repairs")
        .tag("instance", instance)
        .description("Addresses a master found missing from its interface and put back")
        .register(registry)
        .increment();
  }

  void transition(VrrpState to) {
    state.set(to.ordinal());
    Counter.builder("vrrp_transitions")
        .tag("instance", instance)
        .tag("to", to.name())
        .description("State transitions")
        .register(registry)
        .increment();
  }

  void discarded(String reason) {
    Counter.builder("vrrp_packets_discarded")
        .tag("instance", instance)
        .tag("reason", reason)
        .description("Advertisements refused by this instance's checks")
        .register(registry)
        .increment();
  }

  /**
   * Removes this instance's meters: an instance that is re-created (a changed VirtualIP) registers
   * fresh gauges, which the registry would otherwise ignore in favour of the dead instance's.
   */
  void close() {
    registry.getMeters().stream()
        .filter(m -> instance.equals(m.getId().getTag("instance")))
        .toList()
        .forEach(registry::remove);
  }

  /** The kernel's drops before the agent read a frame: {@code vrrp_capture_dropped_total}. */
  static void captureDrops(MeterRegistry registry, String interfaceName, LongSupplier drops) {
    FunctionCounter.builder("vrrp_capture_dropped", drops, d -> Math.max(0, d.getAsLong()))
        .tag("interface", interfaceName)
        .description(
            "Frames the kernel dropped because the agent's capture buffer was full (a flood)")
        .register(registry);
  }

  static void dropped(MeterRegistry registry, String interfaceName, String reason) {
    Counter.builder("vrrp_packets_dropped")
        .tag("interface", interfaceName)
        .tag("reason", reason)
        .description("Malformed or foreign VRRP packets dropped before any instance saw them")
        .register(registry)
        .increment();
  }
}
