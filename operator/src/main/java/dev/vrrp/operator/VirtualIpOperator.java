package dev.vrrp.operator;

import dev.vrrp.api.v1alpha1.OperatorManager;
import dev.vrrp.operator.agents.AgentDaemonSetKeeper;
import dev.vrrp.operator.plan.ClusterPlanner;
import dev.vrrp.operator.plan.PlanKeeper;
import dev.vrrp.operator.services.PoolStatusReconciler;
import dev.vrrp.operator.services.ServiceReconciler;
import dev.vrrp.operator.status.EventRecorder;
import dev.vrrp.operator.status.KubernetesEventRecorder;
import dev.vrrp.operator.status.ReleaseGate;
import dev.vrrp.operator.status.StatusAggregator;
import dev.vrrp.operator.status.StatusCoalescer;
import dev.vrrp.operator.status.StatusWriter;
import dev.vrrp.operator.status.VirtualIpMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the collaborators into a JOSDK {@link Operator}: the VirtualIP controller ({@link
 * VirtualIpReconciler}) and, unless turned off, the LoadBalancer Service controller ({@link
 * ServiceReconciler}), leader election on the Lease {@value OperatorSettings#LEASE_NAME} in the
 * operator's namespace (only the leader reconciles; standbys keep warm caches), and the resync
 * interval as JOSDK's maximum reconciliation interval.
 */
final class VirtualIpOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VirtualIpOperator.class);

  private final OperatorSettings settings;
  private final Operator operator;
  private final AgentDaemonSetKeeper daemonSet;
  private final PlanKeeper plans;
  private final OperatorMetrics metrics;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final String identity;
  private final KubernetesClient client;
  private final Clock clock;

  VirtualIpOperator(
      KubernetesClient client, OperatorSettings settings, MeterRegistry registry, Clock clock) {
    this.client = client;
    this.clock = clock;
    this.settings = settings;
    this.identity = identity(settings);
    this.metrics = new OperatorMetrics(registry);
    this.daemonSet = new AgentDaemonSetKeeper(client, settings.agents(), Duration.ofSeconds(30));
    metrics.watch(daemonSet);
    StatusAggregator aggregator =
        new StatusAggregator(settings.heartbeatWindow(), daemonSet::problem);
    this.plans = new PlanKeeper(new ClusterPlanner(settings.virtualRouterIds()), metrics::plan);
    EventRecorder events =
        new CountedEvents(new KubernetesEventRecorder(client, clock, identity), metrics);
    VirtualIpReconciler reconciler =
        new VirtualIpReconciler(
            plans,
            aggregator,
            new ReleaseGate(aggregator, settings.releaseTimeout()),
            new StatusPublisher(
                new StatusWriter(client),
                new StatusCoalescer(),
                events,
                metrics,
                new VirtualIpMetrics(registry)),
            events,
            daemonSet,
            metrics,
            clock,
            settings.resync());
    operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withConcurrentReconciliationThreads(settings.workers())
                  .withStopOnInformerErrorDuringStartup(true)
                  .withCacheSyncTimeout(Duration.ofMinutes(2));
              if (settings.leaderElection()) {
                o.withLeaderElectionConfiguration(
                    LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                            OperatorSettings.LEASE_NAME)
                        .withLeaseNamespace(settings.namespace())
                        .withIdentity(identity)
                        .withLeaseDuration(OperatorSettings.LEASE_DURATION)
                        .withRenewDeadline(OperatorSettings.LEASE_RENEW_DEADLINE)
                        .withRetryPeriod(OperatorSettings.LEASE_RETRY)
                        // JOSDK would System.exit on a lost lease, also while a shutdown hook stops
                        // the operator,
                        // which blocks the JVM forever; the callback below exits only on a real
                        // loss
                        .withExitOnStopLeading(false)
                        .withLeaderCallbacks(
                            new LeaderCallbacks(
                                () -> {
                                  LOG.info("{} leads: reconciling", identity);
                                  leading.set(true);
                                  metrics.leading(true);
                                },
                                () -> {
                                  leading.set(false);
                                  metrics.leading(false);
                                  if (stopping.get()) {
                                    LOG.info("{} stopped leading (shutting down)", identity);
                                  } else if (settings.exitOnLostLeadership()) {
                                    LOG.error(
                                        "{} lost the lease: exiting so that two replicas never reconcile at once",
                                        identity);
                                    new Thread(() -> System.exit(1), "exit").start();
                                  } else {
                                    LOG.warn("{} lost the lease", identity);
                                  }
                                },
                                leader -> LOG.info("leader is {}", leader)))
                        .build());
              }
            });
    operator.register(
        reconciler,
        o ->
            o.withReconciliationMaxInterval(settings.resync())
                .withOnUpdateFilter(new VirtualIpUpdateFilter(aggregator::fresh, clock)));
    if (settings.loadBalancers().enabled()) {
      operator.register(
          new ServiceReconciler(
              client, events, settings.loadBalancers().defaultClass(), settings.resync(), clock));
      operator.register(new PoolStatusReconciler(client, clock, settings.resync()));
    }
  }

  private static String identity(OperatorSettings settings) {
    if (settings.identity() != null && !settings.identity().isBlank()) {
      return settings.identity();
    }
    String host = System.getenv("HOSTNAME");
    return host == null || host.isBlank() ? OperatorManager.NAME + "-" + UUID.randomUUID() : host;
  }

  void start() {
    LOG.info(
        "starting: namespace {}, agent image {}, heartbeat window {}s, resync {}s, leader election {}",
        settings.namespace(),
        settings.agents().image(),
        settings.heartbeatWindow().toSeconds(),
        settings.resync().toSeconds(),
        settings.leaderElection()
            ? "on (Lease "
                + settings.namespace()
                + "/"
                + OperatorSettings.LEASE_NAME
                + ", identity "
                + identity
                + ")"
            : "off");
    operator.start();
    if (!settings.leaderElection()) {
      leading.set(true);
      metrics.leading(true);
    }
  }

  /** Started, and every informer is healthy (standbys watch too). */
  boolean healthy() {
    return operator.getRuntimeInfo().isStarted()
        && operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  boolean leading() {
    return leading.get();
  }

  String identity() {
    return identity;
  }

  AgentDaemonSetKeeper daemonSet() {
    return daemonSet;
  }

  @Override
  public void close() {
    stopping.set(true);
    operator.stop();
    daemonSet.close();
    plans.close();
    if (settings.leaderElection()) {
      LeaseRelease.release(
          client, settings.namespace(), OperatorSettings.LEASE_NAME, identity, clock);
    }
  }
}
