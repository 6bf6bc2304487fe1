package dev.vrrp.operator;

import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.vocabulary.ConditionStatus;
import dev.vrrp.api.vocabulary.ConditionType;
import dev.vrrp.api.vocabulary.EventType;
import dev.vrrp.api.vocabulary.Reason;
import dev.vrrp.operator.agents.AgentDaemonSetKeeper;
import dev.vrrp.operator.meta.Manager;
import dev.vrrp.operator.plan.NodeFields;
import dev.vrrp.operator.plan.PlanKeeper;
import dev.vrrp.operator.plan.PlannedFields;
import dev.vrrp.operator.plan.VipPlan;
import dev.vrrp.operator.status.EventRecorder;
import dev.vrrp.operator.status.OperatorStatus;
import dev.vrrp.operator.status.ReleaseGate;
import dev.vrrp.operator.status.StatusAggregator;
import dev.vrrp.operator.status.StatusWriter;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    fieldManager = Manager.NAME,
    informer = @Informer(onUpdateFilter = VirtualIpUpdateFilter.class))
class VirtualIpReconciler implements Reconciler<VirtualIP> {
  static final String NAME = "virtualip";
  private static final Logger LOG = LoggerFactory.getLogger(VirtualIpReconciler.class);
  private static final Duration RELEASE_RECHECK = Duration.ofSeconds(5);

  /**
   * Bookkeeping changes (ready count, Degraded, messages, a Ready that stays not True) wait this
   * long before they are written, and whatever else arrives meanwhile goes into the same write:
   * agents report BACKUP one after the other and then one reports MASTER, which makes one write,
   * not four; on a busy API server every write counts. Master, plan, split brain, conflict and
   * Ready turning True or from True are written at once (with everything pending).
   */
  static final Duration COALESCE = Duration.ofSeconds(2);

  private final PlanKeeper plans;
  private final StatusAggregator aggregator;
  private final ReleaseGate releaseGate;
  private final StatusWriter statusWriter;
  private final EventRecorder events;
  private final AgentDaemonSetKeeper daemonSet;
  private final OperatorMetrics metrics;
  private final Clock clock;
  private final Duration resync;
  private final StatusMemo memo = new StatusMemo();

  private volatile IndexerResourceCache<VirtualIP> virtualIps;
  private volatile NodeEventSource nodes;
  private volatile ReplanEventSource replans;

  VirtualIpReconciler(
      PlanKeeper plans,
      StatusAggregator aggregator,
      ReleaseGate releaseGate,
      StatusWriter statusWriter,
      EventRecorder events,
      AgentDaemonSetKeeper daemonSet,
      OperatorMetrics metrics,
      Clock clock,
      Duration resync) {
    this.plans = plans;
    this.aggregator = aggregator;
    this.releaseGate = releaseGate;
    this.statusWriter = statusWriter;
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
    OperatorStatus previous = memo.previous(vip);

    // validate: spec problems and conflicts are part of the plan and become conditions
    if (plan.invalid() != null) {
      LOG.debug("{}: invalid spec: {}", name, plan.invalid());
    }

    // reconcile
    StatusAggregator.Result result = aggregator.aggregate(vip, plan, previous, now);
    Duration next =
        result.recheckIn() == null || result.recheckIn().compareTo(resync) > 0
            ? resync
            : result.recheckIn();
    if (result.holdFor() != null) {
      // a handover in progress: the new master's entry is on its way; write once it is here
      next = result.holdFor().compareTo(next) < 0 ? result.holdFor() : next;
    } else if (!result.status().equals(previous)) {
      Duration waited = memo.pendingFor(vip, now);
      if (urgent(previous, result.status())
          || !result.notices().isEmpty()
          || waited.compareTo(COALESCE) >= 0) {
        VirtualIP stored = statusWriter.apply(vip, result.status());
        memo.remember(stored, result.status(), now);
        metrics.statusWritten();
        for (StatusAggregator.Notice notice : result.notices()) {
          events.record(vip, notice);
          metrics.event(notice.type().wire(), notice.reason().wire());
        }
      } else {
        Duration wait = COALESCE.minus(waited);
        next =
            wait.compareTo(next) < 0
                ? wait
                : next; // written then, with whatever else arrived meanwhile
      }
    } else {
      memo.nothingPending(vip);
    }
    if (!vip.hasFinalizer(VirtualIP.RELEASE_FINALIZER)) {
      PrimaryUpdateAndCacheUtils.addFinalizerWithSSA(context, vip, VirtualIP.RELEASE_FINALIZER);
    }
    metrics.reconciled(Duration.ofNanos(System.nanoTime() - started));
    return UpdateControl.<VirtualIP>noUpdate().rescheduleAfter(next);
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
    StatusAggregator.Notice notice =
        decision.timedOut()
            ? new StatusAggregator.Notice(
                EventType.WARNING,
                Reason.RELEASE_TIMED_OUT,
                "nodes "
                    + String.join(", ", decision.pending())
                    + " did not confirm releasing "
                    + addresses(vip)
                    + " within "
                    + releaseGate.timeout().toSeconds()
                    + "s; removing the finalizer anyway")
            : new StatusAggregator.Notice(
                EventType.NORMAL,
                Reason.ADDRESSES_RELEASED,
                "every agent released " + addresses(vip));
    events.record(vip, notice);
    metrics.event(notice.type().wire(), notice.reason().wire());
    memo.forget(vip);
    PrimaryUpdateAndCacheUtils.removeFinalizer(context, VirtualIP.RELEASE_FINALIZER);
    return UpdateControl.noUpdate();
  }

  /** Changes that must not wait: see {@link #COALESCE}. */
  static boolean urgent(OperatorStatus before, OperatorStatus after) {
    if (!Objects.equals(before.master(), after.master())
        || !Objects.equals(before.virtualRouterId(), after.virtualRouterId())
        || !before.priorities().equals(after.priorities())
        || !Objects.equals(before.observedGeneration(), after.observedGeneration())) {
      return true;
    }
    for (ConditionType type : List.of(ConditionType.SPLIT_BRAIN, ConditionType.CONFLICT)) {
      if (!status(before, type).equals(status(after, type))) {
        return true;
      }
    }
    String readyBefore = status(before, ConditionType.READY);
    String readyAfter = status(after, ConditionType.READY);
    return !readyBefore.equals(readyAfter)
        && (ConditionStatus.TRUE.is(readyBefore)
            || ConditionStatus.TRUE.is(readyAfter)
            || readyBefore.isEmpty());
  }

  private static String status(OperatorStatus status, ConditionType type) {
    return status.condition(type).map(OperatorStatus.StatusCondition::status).orElse("");
  }

  private static String addresses(VirtualIP vip) {
    return vip.getSpec() == null ? "" : String.join(", ", vip.getSpec().getAddresses());
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
      memo.forget(deleted);
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

  /**
   * Read-your-writes for the operator's own status: the informer may still hold the version before
   * the last apply when the next reconcile starts (another event was queued meanwhile). Counting
   * transitions or emitting Events from that stale copy would double them, so the last applied
   * summary is remembered until the cache has caught up with its resourceVersion.
   */
  static final class StatusMemo {
    private record Written(long resourceVersion, OperatorStatus status) {}

    private final Map<String, Written> byUid = new ConcurrentHashMap<>();
    private final Map<String, Instant> pendingSince = new ConcurrentHashMap<>();

    /** How long an unwritten change has been waiting (zero when it was just noticed). */
    Duration pendingFor(VirtualIP vip, Instant now) {
      String uid = vip.getMetadata().getUid();
      if (uid == null) {
        return COALESCE;
      }
      return Duration.between(pendingSince.computeIfAbsent(uid, u -> now), now);
    }

    OperatorStatus previous(VirtualIP vip) {
      OperatorStatus cached = OperatorStatus.of(vip.getStatus());
      String uid = vip.getMetadata().getUid();
      Written written = uid == null ? null : byUid.get(uid);
      if (written == null) {
        return cached;
      }
      long version = parse(vip.getMetadata().getResourceVersion());
      if (version < 0 || version >= written.resourceVersion()) {
        byUid.remove(uid, written);
        return cached;
      }
      return written.status();
    }

    void nothingPending(VirtualIP vip) {
      if (vip.getMetadata().getUid() != null) {
        pendingSince.remove(vip.getMetadata().getUid());
      }
    }

    void remember(VirtualIP stored, OperatorStatus status, Instant at) {
      if (stored.getMetadata().getUid() != null) {
        pendingSince.remove(stored.getMetadata().getUid());
      }
      long version = parse(stored.getMetadata().getResourceVersion());
      if (stored.getMetadata().getUid() != null && version >= 0) {
        byUid.put(stored.getMetadata().getUid(), new Written(version, status));
      }
    }

    void forget(VirtualIP vip) {
      if (vip.getMetadata().getUid() != null) {
        byUid.remove(vip.getMetadata().getUid());
        pendingSince.remove(vip.getMetadata().getUid());
      }
    }

    private static long parse(String resourceVersion) {
      try {
        return resourceVersion == null ? -1 : Long.parseLong(resourceVersion);
      } catch (NumberFormatException e) {
        return -1;
      }
    }
  }
}
