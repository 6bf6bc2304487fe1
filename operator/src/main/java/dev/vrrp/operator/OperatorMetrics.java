package dev.vrrp.operator;

import dev.vrrp.operator.agents.AgentDaemonSetKeeper;
import dev.vrrp.operator.plan.ClusterPlan;
import dev.vrrp.operator.plan.VipPlan;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** The operator's own meters (Prometheus names {@code vrrp_operator_*}). */
final class OperatorMetrics {
  private final MeterRegistry registry;
  private final Timer reconcile;
  private final Counter statusWrites;
  private final AtomicInteger virtualIps = new AtomicInteger();
  private final AtomicInteger installed = new AtomicInteger();
  private final AtomicInteger conflicting = new AtomicInteger();
  private final AtomicInteger leader = new AtomicInteger();

  OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
    reconcile =
        Timer.builder("vrrp.operator.reconcile")
            .description("Reconcile duration")
            .register(registry);
    statusWrites =
        Counter.builder("vrrp.operator.status.writes")
            .description("Status applies")
            .register(registry);
    Gauge.builder("vrrp.operator.virtualips", virtualIps, AtomicInteger::get)
        .description("VirtualIPs")
        .register(registry);
    Gauge.builder("vrrp.operator.virtualips.installed", installed, AtomicInteger::get)
        .description("VirtualIPs with a VRID and nodes")
        .register(registry);
    Gauge.builder("vrrp.operator.virtualips.conflicting", conflicting, AtomicInteger::get)
        .description("VirtualIPs refused with a Conflict")
        .register(registry);
    Gauge.builder("vrrp.operator.leader", leader, AtomicInteger::get)
        .description("1 while this replica leads")
        .register(registry);
  }

  void reconciled(Duration took) {
    reconcile.record(took);
  }

  void statusWritten() {
    statusWrites.increment();
  }

  /** Counts the keeper's applies. */
  void watch(AgentDaemonSetKeeper keeper) {
    FunctionCounter.builder("vrrp.operator.daemonset.applies", keeper, k -> (double) k.applies())
        .description("Agent DaemonSet applies")
        .register(registry);
  }

  void event(String type, String reason) {
    Counter.builder("vrrp.operator.events")
        .tag("type", type)
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  void plan(ClusterPlan plan) {
    virtualIps.set(plan.byName().size());
    installed.set((int) plan.byName().values().stream().filter(VipPlan::installed).count());
    conflicting.set(
        (int) plan.byName().values().stream().filter(p -> p.conflict() != null).count());
  }

  void leading(boolean leading) {
    leader.set(leading ? 1 : 0);
  }
}
