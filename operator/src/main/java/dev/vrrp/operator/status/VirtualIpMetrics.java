package dev.vrrp.operator.status;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Per VirtualIP, what its summary says, as series an alert or a dashboard can use (Prometheus names
 * {@code vrrp_virtualip_*}): each condition with its status and reason, each node's state as
 * counted (Unknown when its heartbeat is stale), the master, and a counter of master changes. Each
 * gauge series is 1 while it is true and is removed when it stops being true, so a VirtualIP has at
 * most one series per condition type, one per node and one master series at any time: the
 * cardinality is bounded by VirtualIPs x (conditions + nodes + 1), and label values come only from
 * names and the status vocabulary. Only the leading replica reconciles, so only it shows them.
 */
public final class VirtualIpMetrics {
  public static final String CONDITION = "vrrp.virtualip.condition";
  public static final String NODE_STATE = "vrrp.virtualip.node.state";
  public static final String MASTER = "vrrp.virtualip.master";
  public static final String MASTER_CHANGES = "vrrp.virtualip.master.changes";

  private record Shown(Set<Meter.Id> series, String master) {}

  private final MeterRegistry registry;
  private final Map<String, Shown> shown = new HashMap<>(); // guarded by this

  public VirtualIpMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * The VirtualIP's summary now. {@code stored}: the summary the API server holds, so that the
   * first look after an operator restart does not count the master it finds as a change.
   */
  public synchronized void show(
      String vip, OperatorStatus now, OperatorStatus stored, Map<String, String> nodeStates) {
    Set<Meter.Id> series = new HashSet<>();
    for (OperatorStatus.StatusCondition c : now.conditions()) {
      series.add(
          gauge(
              CONDITION,
              "A condition of the VirtualIP with its status and reason (1 while so)",
              Tags.of(
                  "virtualip", vip,
                  "type", text(c.type()),
                  "status", text(c.status()),
                  "reason", text(c.reason()))));
    }
    nodeStates.forEach(
        (node, state) ->
            series.add(
                gauge(
                    NODE_STATE,
                    "A node's state for the VirtualIP as the summary counts it (1 while so)",
                    Tags.of("virtualip", vip, "node", node, "state", state))));
    if (now.master() != null) {
      series.add(
          gauge(
              MASTER,
              "The node that holds the VirtualIP's addresses (1 while it does)",
              Tags.of("virtualip", vip, "node", now.master())));
    }
    Shown before = shown.put(vip, new Shown(series, now.master()));
    if (before != null) {
      before.series().stream().filter(id -> !series.contains(id)).forEach(registry::remove);
    }
    // registered from the first look on: a counter that appears at 1 hides that change from
    // increase()
    Counter changes = changes(vip);
    String previousMaster = before != null ? before.master() : stored.master();
    if (now.master() != null && !Objects.equals(now.master(), previousMaster)) {
      changes.increment();
    }
  }

  /** The VirtualIP is gone: its series go too. */
  public synchronized void forget(String vip) {
    Shown before = shown.remove(vip);
    if (before != null) {
      before.series().forEach(registry::remove);
    }
    registry.remove(changes(vip));
  }

  private Counter changes(String vip) {
    return Counter.builder(MASTER_CHANGES)
        .description("Times another node became the VirtualIP's master")
        .tags("virtualip", vip)
        .register(registry);
  }

  private Meter.Id gauge(String name, String description, Tags tags) {
    return Gauge.builder(name, () -> 1)
        .description(description)
        .tags(tags)
        .register(registry)
        .getId();
  }

  private static String text(String value) {
    return value == null ? "" : value;
  }
}
