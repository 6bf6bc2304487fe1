package dev.vrrp.agent.kubernetes;

import dev.vrrp.agent.config.InstanceSettings;
import dev.vrrp.agent.loop.InstanceStatus;
import dev.vrrp.agent.loop.Instances;
import dev.vrrp.agent.loop.StartOptions;
import dev.vrrp.api.NodeMaintenance;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.vocabulary.Reason;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, on the worker thread, what this node runs: every VirtualIP that changed is decided again
 * ({@link InstancePlan}), the {@link InstanceTable} turns the decisions into operations, and each
 * operation is carried out on the {@link Instances}. Every outcome ends in this node's entry: a
 * transition of a running instance, a FAULT with the reason (a decision, a failed operation, any
 * Throwable), or RELEASED. Nothing here waits for the API server.
 */
final class AgentReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(AgentReconciler.class);

  /** A failed start is tried again on the next reconcile after this long, not on every event. */
  static final Duration RETRY = Duration.ofSeconds(5);

  /** How often per heartbeat the entries due for a refresh are looked for. */
  private static final int REFRESH_TICKS = 5;

  private final String nodeName;
  private final ClusterView cluster;
  private final InstancePlan.Lookups lookups;
  private final Instances instances;
  private final StatusSink status;
  private final Entries entries;
  private final Worker worker;
  private final Clock clock;
  private final Duration heartbeat;
  private final InstanceTable table = new InstanceTable();
  private final StartupPolicy startup = new StartupPolicy();
  private final Map<String, CachedDecision> decisions = new HashMap<>();
  private final Map<String, String> notHere = new HashMap<>();
  private final Map<String, Instant> retryAfter = new HashMap<>();
  // instances that probe before a claim until a node of their VirtualIPs holds the addresses
  private final Set<String> probingUntilHeld = new HashSet<>();
  // filled by the informers' threads, drained by the worker: only changed VirtualIPs are decided
  // again
  private final Set<String> changed = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean everythingChanged = new AtomicBoolean(true);
  private final AtomicBoolean reconcileQueued = new AtomicBoolean();
  private final AtomicLong nodeGeneration = new AtomicLong();
  private volatile boolean stopping;
  private volatile boolean decided;
  private boolean leftoversReleased;
  private Boolean decidedLive;
  private Boolean draining;
  private SavedPlan saved;
  private ResumableCluster resumable;
  private boolean planChanged = true;

  AgentReconciler(
      String nodeName,
      ClusterView cluster,
      InstancePlan.Lookups lookups,
      Instances instances,
      StatusSink status,
      Worker worker,
      Clock clock,
      Duration heartbeat) {
    this.nodeName = nodeName;
    this.cluster = cluster;
    this.lookups = lookups;
    this.instances = instances;
    this.status = status;
    this.entries = new Entries(nodeName, clock);
    this.worker = worker;
    this.clock = clock;
    this.heartbeat = heartbeat;
  }

  /**
   * Keeps this node's plan in {@code plan} after every change (and every heartbeat) while the
   * informers run, and decides from {@code cluster}, which resumes from it when they do not list.
   */
  void keepPlan(SavedPlan plan, ResumableCluster cluster) {
    this.saved = plan;
    this.resumable = cluster;
  }

  /** Starts the periodic work and the first reconcile. */
  void start() {
    instances.onTransition(s -> worker.execute("reporting " + s.name(), () -> report(s)));
    worker.every("heartbeat", this::heartbeat, heartbeat);
    worker.every(
        "refreshing entries",
        this::refreshDue,
        Duration.ofMillis(Math.max(200, heartbeat.toMillis() / REFRESH_TICKS)));
    queueReconcile();
  }

  /** A VirtualIP was added, changed or deleted (any thread). */
  void virtualIpChanged(String name) {
    changed.add(name);
    queueReconcile();
  }

  /**
   * Unicast peers and node addresses come from the Nodes: every cached decision is stale (any
   * thread).
   */
  void nodesChanged() {
    nodeGeneration.incrementAndGet();
    everythingChanged.set(true);
    queueReconcile();
  }

  /** No more deciding: nothing starts an instance while the agent resigns. */
  void stop() {
    stopping = true;
  }

  private void queueReconcile() {
    if (reconcileQueued.compareAndSet(false, true)) {
      worker.execute(
          "reconciling",
          () -> {
            reconcileQueued.set(false);
            reconcile();
          });
    }
  }

  void reconcile() {
    if (stopping) {
      return;
    }
    if (!cluster.synced()) {
      // an empty store is not an empty cluster: deciding now would stop every instance
      worker.schedule("waiting for the first list", this::queueReconcile, Duration.ofMillis(100));
      return;
    }
    applyMaintenance();
    Set<String> names = new HashSet<>();
    boolean live = resumable == null || resumable.live();
    if (decidedLive == null || decidedLive != live) {
      // the source changed (saved plan -> informers): everything is decided again from it
      if (decidedLive != null || !live) {
        LOG.info(
            live
                ? "the informers have listed: deciding from the cluster again"
                : "the API server is unreachable: resuming this node's plan saved at {}",
            resumable == null ? null : resumable.savedAt());
      }
      decidedLive = live;
      decisions.clear();
      everythingChanged.set(true);
    }
    if (everythingChanged.getAndSet(false)) {
      names.addAll(cluster.virtualIpNames());
      names.addAll(decisions.keySet());
    }
    for (Iterator<String> it = changed.iterator(); it.hasNext(); ) {
      names.add(it.next());
      it.remove();
    }
    Instant now = clock.instant();
    for (String name : names) {
      try {
        decideOne(name, now);
      } catch (Throwable t) {
        LOG.error("{}: deciding failed", name, t);
        decisions.remove(name);
        table.fault(name, Reason.INTERNAL_ERROR, "internal error while deciding: " + t);
      }
    }
    List<InstanceTable.Operation> operations = table.plan();
    for (InstanceTable.Operation operation : operations) {
      try {
        carryOut(operation, now);
      } catch (Throwable t) {
        LOG.error("{} failed", operation, t);
        failed(operation, t);
      }
    }
    planChanged |= !operations.isEmpty();
    if (live && planChanged) {
      savePlan(now);
    }
    if (!leftoversReleased) {
      // every planned instance runs now: the agent's marked addresses that none has are leftovers
      leftoversReleased = true;
      try {
        instances.releaseLeftovers();
      } catch (Throwable t) {
        LOG.error("removing leftover addresses failed", t);
      }
    }
    decided = true;
  }

  /**
   * Whether every VirtualIP was decided once from a listed cluster (or the saved plan): what runs
   * now is this node's plan, not an empty start. The agent is ready from then on, so a rolling
   * update replaces the next node's agent only after this one serves as a backup.
   */
  boolean decidedOnce() {
    return decided;
  }

  /**
   * Cordoned or tainted {@value NodeMaintenance#DRAIN_TAINT}: every instance hands over and runs at
   * the lowest priority (before any start, so new ones start that way too). A failure is tried
   * again on the next reconcile.
   */
  private void applyMaintenance() {
    Optional<String> why = cluster.node(nodeName).flatMap(NodeMaintenance::reason);
    boolean on = why.isPresent();
    if (draining != null && draining == on) {
      return;
    }
    try {
      instances.drain(on);
    } catch (Throwable t) {
      LOG.error("cannot {} planned maintenance", on ? "enter" : "leave", t);
      return;
    }
    if (on) {
      LOG.info(
          "{}: handing every VirtualIP over; this node serves only as the last resort", why.get());
    } else if (draining != null) {
      LOG.info("planned maintenance over: back at the planned priorities");
    }
    draining = on;
    // a backup's new priority is no transition: its entries say so now, not at the next heartbeat
    table.instances().forEach(this::report);
  }

  private void decideOne(String name, Instant now) {
    VirtualIP vip = cluster.virtualIp(name).orElse(null);
    if (vip == null) {
      table.forget(name);
      status.forget(name);
      decisions.remove(name);
      notHere.remove(name);
      retryAfter.remove(name);
      startup.released(name);
      return;
    }
    InstancePlan.Decision decision = decide(vip);
    switch (decision.verdict()) {
      case RUN -> {
        // only before it starts: an instance that runs already (its first entry not written yet)
        // keeps running when the plan changes
        if (!decision.highest() && InstancePlan.unreported(vip) && table.instanceOf(name) == null) {
          Instant until = startup.holdBackUntil(name, now);
          if (now.isBefore(until)) {
            table.drop(name);
            worker.schedule(
                "holding back " + name, () -> virtualIpChanged(name), Duration.between(now, until));
            log(
                name,
                "holding back up to "
                    + StartupPolicy.GRACE.toSeconds()
                    + "s for the node planned highest to start it");
            return;
          }
        }
        startup.released(name);
        table.serve(name, decision.settings());
        notHere.remove(name);
        String instance = table.instanceOf(name);
        if (instance != null
            && probingUntilHeld.contains(instance)
            && !InstancePlan.neverHeld(vip)) {
          probingUntilHeld.remove(instance);
          instances.held(instance);
        }
      }
      case FAULT -> {
        table.fault(name, decision.code(), decision.reason());
        log(name, "cannot run here: " + decision.reason());
      }
      case NOT_HERE -> {
        table.drop(name);
        log(name, "not running here: " + decision.reason());
      }
    }
  }

  private void log(String name, String why) {
    if (!why.equals(notHere.put(name, why))) {
      LOG.info("{}: {}", name, why);
    }
  }

  private void carryOut(InstanceTable.Operation operation, Instant now) throws Exception {
    if (operation instanceof InstanceTable.Start start) {
      String name = start.settings().name();
      Instant retry = retryAfter.get(name);
      if (retry != null && now.isBefore(retry)) {
        table.failed(name); // not yet: tried again on a reconcile after the retry time
        return;
      }
      boolean highest = start.virtualIps().stream().anyMatch(this::plannedHighest);
      boolean claim =
          highest
              && start.virtualIps().stream()
                  .allMatch(v -> cluster.virtualIp(v).map(InstancePlan::unreported).orElse(false));
      if (highest) {
        Duration settle = startup.settleQuietly(start.settings(), claim);
        worker.schedule(
            "settling " + name,
            () -> {
              if (startup.settled(name)) {
                report(name);
              }
            },
            settle);
      }
      // probe first when no node of its VirtualIPs ever held the addresses (a failover stays fast)
      boolean neverHeld =
          start.virtualIps().stream()
              .allMatch(v -> cluster.virtualIp(v).map(InstancePlan::neverHeld).orElse(false));
      // its first transition reports it
      instances.add(
          start.settings(),
          new StartOptions(
              claim, neverHeld ? StartOptions.Probe.UNTIL_HELD : StartOptions.Probe.NEVER));
      if (neverHeld) {
        probingUntilHeld.add(name);
      } else {
        probingUntilHeld.remove(name);
      }
      retryAfter.remove(name);
    } else if (operation instanceof InstanceTable.Stop stop) {
      startup.forget(stop.instance());
      instances.remove(stop.instance());
    } else if (operation instanceof InstanceTable.ChangeInterval change) {
      instances.changeInterval(change.instance(), change.interval());
    } else if (operation instanceof InstanceTable.ChangeAddresses change) {
      String name = change.settings().name();
      instances.changeAddresses(name, change.settings().addresses());
      // only the VirtualIPs that joined get entries now: rewriting every member's entry on each
      // join was most of the agents' writes with 1000 VirtualIPs on 255 VRIDs
      InstanceStatus now0 = instances.status(name);
      if (now0 != null) {
        change.joined().forEach(vip -> status.submit(vip, entries.of(now0)));
      }
    } else if (operation instanceof InstanceTable.Restart restart) {
      LOG.info("{}: {}; restarting the instance", restart.settings().name(), restart.why());
      restart(restart.settings());
    } else if (operation instanceof InstanceTable.ChangePriority change) {
      String name = change.settings().name();
      instances.changePriority(name, change.settings().priority());
      LOG.info("{}: planned priority now {}", name, change.settings().priority());
    } else if (operation instanceof InstanceTable.Fault fault) {
      status.submit(fault.virtualIp(), entries.fault(fault.code(), fault.problem()));
    } else if (operation instanceof InstanceTable.Release release) {
      status.submit(release.virtualIp(), entries.released());
    }
  }

  private void restart(InstanceSettings settings) throws Exception {
    instances.remove(settings.name());
    instances.add(settings, new StartOptions(false, StartOptions.Probe.NEVER));
  }

  /** An operation threw: its instance does not run, and each of its VirtualIPs says why. */
  private void failed(InstanceTable.Operation operation, Throwable t) {
    if (!(operation instanceof InstanceTable.OfInstance running)) {
      return;
    }
    InstanceSettings settings = running.settings();
    String reason = "cannot run: " + describe(t);
    table.failed(settings.name());
    retryAfter.put(settings.name(), clock.instant().plus(RETRY));
    startup.forget(settings.name());
    try {
      instances.remove(settings.name());
    } catch (Throwable again) {
      LOG.debug("{}: removing after a failure: {}", settings.name(), again.toString());
    }
    for (String vip : running.virtualIps()) {
      status.submit(vip, entries.fault(Reason.CANNOT_RUN, reason));
    }
  }

  /**
   * An exception's message, or its class for one without (an Error usually has no message worth
   * less).
   */
  static String describe(Throwable t) {
    String message = t.getMessage();
    return message == null || message.isBlank()
        ? t.getClass().getName()
        : t.getClass().getSimpleName() + ": " + message;
  }

  /**
   * Decides once per version of what the decision reads (spec, the operator's plan, the Nodes): the
   * agents' own entries change the VirtualIP thousands of times, and none of them changes the plan.
   */
  private InstancePlan.Decision decide(VirtualIP vip) {
    String name = vip.getMetadata().getName();
    PlanVersion key = PlanVersion.of(vip, nodeGeneration.get());
    CachedDecision cached = decisions.get(name);
    if (cached != null && cached.key().equals(key)) {
      return cached.decision();
    }
    InstancePlan.Decision decision = InstancePlan.decide(vip, nodeName, cluster, lookups);
    decisions.put(name, new CachedDecision(key, decision));
    return decision;
  }

  private record CachedDecision(PlanVersion key, InstancePlan.Decision decision) {}

  private boolean plannedHighest(String virtualIp) {
    CachedDecision cached = decisions.get(virtualIp);
    return cached != null && cached.decision().highest();
  }

  /**
   * Refreshes the entries last written a heartbeat ago or more. Each entry is due one heartbeat
   * after its own last write, so refreshes spread over the interval instead of arriving as one
   * burst of every entry, and an entry a transition just wrote is not written again.
   */
  private void refreshDue() {
    for (String instance : table.instances()) {
      InstanceStatus s = instances.status(instance);
      if (s == null || s.claiming()) {
        continue;
      }
      for (String vip : table.virtualIpsOf(instance)) {
        if (!status.writtenWithin(vip, heartbeat)) {
          status.refresh(vip, entries.of(s));
        }
      }
    }
    for (Map.Entry<String, InstanceTable.Fault> fault : table.faults().entrySet()) {
      if (!status.writtenWithin(fault.getKey(), heartbeat)) {
        status.refresh(
            fault.getKey(), entries.fault(fault.getValue().code(), fault.getValue().problem()));
      }
    }
    for (String vip : table.released()) {
      if (!status.writtenWithin(vip, heartbeat)) {
        status.refresh(vip, entries.released());
      }
    }
  }

  /**
   * The VirtualIPs this node runs or cannot run, the Nodes and the Secrets it read, on the node.
   */
  private void savePlan(Instant now) {
    if (saved == null) {
      return;
    }
    planChanged = false;
    List<VirtualIP> mine = new ArrayList<>();
    decisions.forEach(
        (name, cached) -> {
          if (cached.decision().verdict() != InstancePlan.Verdict.NOT_HERE) {
            cluster.virtualIp(name).ifPresent(mine::add);
          }
        });
    try {
      saved.save(
          new SavedPlan.Snapshot(
              now, nodeName, mine, List.copyOf(cluster.nodes()), resumable.secretsRead()));
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "cannot save this node's plan in {} (an agent restarted during an API outage will not resume "
              + "it): {}",
          saved.file(),
          e.toString());
    }
  }

  private void heartbeat() {
    planChanged = true;
    // What the node looks up (the route to a VirtualIP without spec.interface, a Secret) can change
    // without the VirtualIP changing: decide those again once per heartbeat.
    decisions
        .keySet()
        .removeIf(name -> cluster.virtualIp(name).map(PlanVersion::usesLookups).orElse(true));
    everythingChanged.set(true);
    reconcile();
  }

  private void report(String instance) {
    InstanceStatus s = instances.status(instance);
    if (s != null) {
      report(s);
    }
  }

  private void report(InstanceStatus s) {
    if (s.claiming() || !startup.reports(s.name(), s.state())) {
      return; // a claiming master reports once it holds the addresses
    }
    for (String vip : table.virtualIpsOf(s.name())) {
      status.submit(vip, entries.of(s));
    }
  }

  /** For the Throwable that escaped a worker task: every VirtualIP this node serves says so. */
  void taskFailed(String what, Throwable t) {
    String reason = "internal error (" + what + "): " + describe(t);
    for (String instance : table.instances()) {
      for (String vip : table.virtualIpsOf(instance)) {
        status.submit(vip, entries.fault(Reason.INTERNAL_ERROR, reason));
      }
    }
  }
}
