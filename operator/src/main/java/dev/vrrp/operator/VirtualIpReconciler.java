package dev.vrrp.operator;

import dev.vrrp.api.v1alpha1.OperatorManager;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.operator.agents.AgentDaemonSetKeeper;
import dev.vrrp.operator.plan.NodeFields;
import dev.vrrp.operator.plan.PlanKeeper;
import dev.vrrp.operator.plan.PlannedFields;
import dev.vrrp.operator.plan.VipPlan;
import dev.vrrp.operator.status.EventRecorder;
import dev.vrrp.operator.status.OperatorStatus;
import dev.vrrp.operator.status.ReleaseGate;
import dev.vrrp.operator.status.StatusAggregator;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VirtualIP controller: observe (all VirtualIPs and Nodes from the informer caches, the plan
 * for the cluster), validate (the plan carries spec problems and conflicts), reconcile (keep the
 * agent DaemonSet, write the operator's status fields, record Events).
 *
 * <p>Planning is global and runs on the {@link PlanKeeper}'s thread; a reconcile looks its plan up.
 * Triggers: VirtualIP changes that matter ({@link VirtualIpUpdateFilter}: spec, deletion,
 * finalizers, the agents' entries, but not the operator's own writes), plan changes (a Node field
 * the plan reads, {@link NodeFields}; another VirtualIP created, changed or deleted: only the
 * VirtualIPs whose plan changed are reconciled), and a resync when the next heartbeat goes stale or
 * after {@code resync} at most.
 *
 * <p>Deletion: the finalizer {@link VirtualIP#RELEASE_FINALIZER} stays until the {@link
 * ReleaseGate} says the agents released the addresses or the timeout passed. It is added right
 * after the first plan is written, not before: the agents wait for the plan, and with 1000
 * VirtualIPs arriving a write costs 0.1-0.3 s. A VirtualIP deleted before its finalizer is added
 * goes at once; the agents still release its addresses when it disappears from their watch.
 */
@ControllerConfiguration(
    name = VirtualIpReconciler.NAME,
    // the finalizer is ours to add (after the plan, see reconcile) and to remove (release gate)
    triggerReconcilerOnAllEvents = true,
    generationAwareEventProcessing = false,
    // the update filter (VirtualIpUpdateFilter) needs the aggregation's clock and window: set
    // where the controller is registered
    fieldManager = OperatorManager.NAME)
class VirtualIpReconciler implements Reconciler<VirtualIP> {
  static final String NAME = "virtualip";
  private static final Logger LOG = LoggerFactory.getLogger(VirtualIpReconciler.class);
  private static final Duration RELEASE_RECHECK = Duration.ofSeconds(5);

  private final PlanKeeper plans;
  private final StatusAggregator aggregator;
  private final ReleaseGate releaseGate;
  private final StatusPublisher status;
  private final EventRecorder events;
  private final AgentDaemonSetKeeper daemonSet;
  private final OperatorMetrics metrics;
  private final Clock clock;
  private final Duration resync;

  private volatile IndexerResourceCache<VirtualIP> virtualIps;
  private volatile NodeEventSource nodes;
  private volatile ReplanEventSource replans;

  VirtualIpReconciler(
      PlanKeeper plans,
      StatusAggregator aggregator,
      ReleaseGate releaseGate,
      StatusPublisher status,
      EventRecorder events,
      AgentDaemonSetKeeper daemonSet,
      OperatorMetrics metrics,
      Clock clock,
      Duration resync) {
    this.plans = plans;
    this.aggregator = aggregator;
    this.releaseGate = releaseGate;
    this.status = status;
    this.events = events;
    this.daemonSet = daemonSet;
    this.metrics = metrics;
    this.clock = clock;
    this.resync = resync;
  }

  @Override
  public List<EventSource<?, VirtualIP>> prepareEventSources(
      EventSourceContext<VirtualIP> context) {
    virtualIps = context.getPrimaryCache();
    daemonSet.bind(() -> virtualIps.list().toList());
    nodes =
        new NodeEventSource(
            InformerEventSourceConfiguration.from(Node.class, VirtualIP.class)
                .withName("nodes")
                .withWatchAllNamespaces()
                // a Node change reaches VirtualIPs through the plan: only those whose plan changes
                // reconcile
                .withSecondaryToPrimaryMapper(node -> Set.of())
                .withItemStore(new TransformingItemStore<>(NodeFields::slim))
                .build(),
            context,
            plans);
    replans = new ReplanEventSource();
    // the agents' problem is every VirtualIP's Ready reason while no agent reports
    daemonSet.onProblemChanged(
        () ->
            virtualIps.list().forEach(vip -> replans.propagateEvent(ResourceID.fromResource(vip))));
    // null until the Node informer runs: the VirtualIP informer starts first, and a plan without
    // Nodes would unplan every VirtualIP for a moment
    plans.bind(
        () -> virtualIps.list().toList(),
        () -> nodes.isRunning() ? nodes.list().toList() : null,
        changed -> changed.forEach(name -> replans.propagateEvent(new ResourceID(name))));
    return List.of(nodes, replans);
  }

  @Override
  public UpdateControl<VirtualIP> reconcile(VirtualIP vip, Context<VirtualIP> context) {
    if (context.isPrimaryResourceDeleted()) {
      return UpdateControl.noUpdate(); // ReplanEventSource.onResourceDeleted forgets it and replans
    }
    if (vip.isMarkedForDeletion()) {
      return vip.hasFinalizer(VirtualIP.RELEASE_FINALIZER)
          ? release(vip, context)
          : UpdateControl.noUpdate();
    }
    long started = System.nanoTime();
    Instant now = clock.instant();
    String name = vip.getMetadata().getName();

    // observe: the plan for this version of the VirtualIP (all VirtualIPs and Nodes went into it)
    Optional<VipPlan> planned = plans.planFor(vip);
    daemonSet.requestSyncFor(vip);
    if (planned.isEmpty()) {
      return UpdateControl.noUpdate(); // planned soon; the planner reconciles it then
    }
    VipPlan plan = planned.get();
    OperatorStatus previous = status.previous(vip);

    // validate: spec problems and conflicts are part of the plan and become conditions
    if (plan.invalid() != null) {
      LOG.debug("{}: invalid spec: {}", name, plan.invalid());
    }

    // reconcile
    StatusAggregator.Result result = aggregator.aggregate(vip, plan, previous, now);
    Optional<Duration> waiting =
        status.publish(vip, previous, result, aggregator.shownStates(vip, now), now);
    Duration next = nextLook(resync, result.recheckIn(), waiting);
    if (!vip.hasFinalizer(VirtualIP.RELEASE_FINALIZER)) {
      PrimaryUpdateAndCacheUtils.addFinalizerWithSSA(context, vip, VirtualIP.RELEASE_FINALIZER);
    }
    metrics.reconciled(Duration.ofNanos(System.nanoTime() - started));
    return UpdateControl.<VirtualIP>noUpdate().rescheduleAfter(next);
  }

  /**
   * The soonest of: {@code resync} (the longest a VirtualIP goes unreconciled), when the
   * aggregation wants another look (a heartbeat going stale), and when a waiting write is due.
   */
  static Duration nextLook(Duration resync, Duration recheckIn, Optional<Duration> waiting) {
    Duration next = recheckIn == null || recheckIn.compareTo(resync) > 0 ? resync : recheckIn;
    return waiting.filter(wait -> wait.compareTo(next) < 0).orElse(next);
  }

  /**
   * A VirtualIP being deleted: the finalizer goes once the agents released its addresses (or the
   * timeout passed).
   */
  private UpdateControl<VirtualIP> release(VirtualIP vip, Context<VirtualIP> context) {
    Instant now = clock.instant();
    ReleaseGate.Decision decision = releaseGate.decide(vip, now);
    String name = vip.getMetadata().getName();
    if (!decision.release()) {
      LOG.debug("{}: waiting for {} to release", name, decision.pending());
      return UpdateControl.<VirtualIP>noUpdate()
          .rescheduleAfter(releaseGate.waitFor(vip, now, RELEASE_RECHECK));
    }
    events.record(vip, releaseGate.notice(vip, decision));
    status.forget(vip);
    PrimaryUpdateAndCacheUtils.removeFinalizer(context, VirtualIP.RELEASE_FINALIZER);
    return UpdateControl.noUpdate();
  }

  /**
   * Asks for a replan when a VirtualIP changes in a way that matters to the plan (new, spec,
   * deleted, or its planned fields in the status changed), and reconciles the VirtualIPs the
   * planner reports (JOSDK does not reconcile a deleted resource, so a VirtualIP that a deleted one
   * blocked gets its turn this way).
   */
  private final class ReplanEventSource extends SimpleInboundEventSource<VirtualIP>
      implements ResourceEventAware<VirtualIP> {
    ReplanEventSource() {
      super("replan");
    }

    @Override
    public void onResourceCreated(VirtualIP vip) {
      plans.requestReplan();
    }

    @Override
    public void onResourceUpdated(VirtualIP newVip, VirtualIP oldVip) {
      if (oldVip == null
          || !Objects.equals(
              newVip.getMetadata().getGeneration(), oldVip.getMetadata().getGeneration())
          || !Objects.equals(newVip.getMetadata().getUid(), oldVip.getMetadata().getUid())) {
        plans.requestReplan();
      } else if (!PlannedFields.of(newVip.getStatus()).equals(PlannedFields.of(oldVip.getStatus()))
          && !plans.statusMatchesPlan(newVip)) {
        // Not the operator's own plan coming back (that would plan the same again, once per
        // VirtualIP:
        // 1000 global replans for 1000 new VirtualIPs), but someone else's edit of the planned
        // fields.
        plans.requestReplan();
      }
    }

    @Override
    public void onResourceDeleted(VirtualIP deleted) {
      status.forget(deleted);
      daemonSet.requestSync();
      plans.requestReplan();
    }
  }

  /** The Node informer; a change to a field the plan reads asks for a replan. */
  private static final class NodeEventSource extends InformerEventSource<Node, VirtualIP> {
    private final PlanKeeper plans;

    NodeEventSource(
        InformerEventSourceConfiguration<Node> configuration,
        EventSourceContext<VirtualIP> context,
        PlanKeeper plans) {
      super(configuration, context);
      this.plans = plans;
    }

    @Override
    public void onAdd(Node node) {
      super.onAdd(node);
      plans.requestReplan();
    }

    @Override
    public void onUpdate(Node oldNode, Node newNode) {
      super.onUpdate(oldNode, newNode);
      if (NodeFields.changed(oldNode, newNode)) {
        plans.requestReplan();
      }
    }

    @Override
    public void onDelete(Node node, boolean deletedFinalStateUnknown) {
      super.onDelete(node, deletedFinalStateUnknown);
      plans.requestReplan();
    }
  }
}
