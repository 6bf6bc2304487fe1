package dev.vrrp.agent.kubernetes;

import dev.vrrp.agent.config.InstanceSettings;
import dev.vrrp.agent.loop.InstanceStatus;
import dev.vrrp.agent.loop.NodeAgent;
import dev.vrrp.api.v1alpha1.NodeStatus;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.engine.Timers;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes mode: watches the VirtualIPs and Nodes, runs one VRRP instance per VirtualIP that
 * plans this node, applies changes live and reports this node's status entry. All decisions run on
 * one thread; the VRRP loops never wait for it, so an unreachable API server changes nothing on
 * the wire.
 */
public final class KubernetesAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesAgent.class);

  private final KubernetesClient client;
  private final String nodeName;
  private final NodeAgent agent;
  private final InstancePlan.Lookups lookups;
  private final StatusReporter reporter;
  private final Clock clock;
  private static final Duration SETTLE_MARGIN = Duration.ofMillis(250);
  /** How often per heartbeat the agent looks for entries due for a refresh. */
  private static final int REFRESH_TICKS = 5;
  private final Duration heartbeat;
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "kubernetes");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean reconcileQueued = new AtomicBoolean();
  // Filled by the informers' threads, drained by the worker: only changed VirtualIPs are decided again.
  private final Set<String> changed = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean everythingChanged = new AtomicBoolean(true);
  private final AtomicLong nodeGeneration = new AtomicLong();
  private final InstanceTable table = new InstanceTable();
  private final Map<String, CachedDecision> decisions = new HashMap<>();
  private final Map<String, String> skipped = new HashMap<>();
  private final Set<String> quietUntilSettled = new HashSet<>();
  private volatile boolean stopping;
  private SharedIndexInformer<VirtualIP> vips;
  private SharedIndexInformer<Node> nodes;

  public KubernetesAgent(KubernetesClient client, String nodeName, NodeAgent agent, Clock clock, Duration heartbeat) {
    this.client = client;
    this.nodeName = nodeName;
    this.agent = agent;
    this.lookups = new HostLookups(client);
    this.reporter = new StatusReporter(client, nodeName);
    this.clock = clock;
    this.heartbeat = heartbeat;
  }

  public void start() {
    agent.onTransition(status -> {
      try {
        worker.execute(() -> report(status));
      } catch (java.util.concurrent.RejectedExecutionException closed) {
        // after close(): the agent is gone, nothing reports any more
      }
    });
    vips = client.resources(VirtualIP.class).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(VirtualIP vip) {
        changed(vip);
      }

      @Override
      public void onUpdate(VirtualIP oldVip, VirtualIP newVip) {
        changed(newVip);
      }

      @Override
      public void onDelete(VirtualIP vip, boolean deletedFinalStateUnknown) {
        changed(vip);
      }
    }, 0);
    nodes = client.nodes().inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Node node) {
        nodesChanged();
      }

      @Override
      public void onUpdate(Node oldNode, Node newNode) {
        nodesChanged();
      }

      @Override
      public void onDelete(Node node, boolean deletedFinalStateUnknown) {
        nodesChanged();
      }
    }, 0);
    worker.scheduleWithFixedDelay(this::heartbeat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    long tick = Math.max(200, heartbeat.toMillis() / REFRESH_TICKS);
    worker.scheduleWithFixedDelay(this::refreshDue, tick, tick, TimeUnit.MILLISECONDS);
    queueReconcile();
  }

  private void changed(VirtualIP vip) {
    changed.add(vip.getMetadata().getName());
    queueReconcile();
  }

  // Unicast peers come from Node addresses: any Node change invalidates every cached decision.
  private void nodesChanged() {
    nodeGeneration.incrementAndGet();
    everythingChanged.set(true);
    queueReconcile();
  }

  private void queueReconcile() {
    if (reconcileQueued.compareAndSet(false, true)) {
      worker.execute(() -> {
        reconcileQueued.set(false);
        reconcile();
      });
    }
  }

  private void reconcile() {
    if (stopping) {
      return;
    }
    Set<String> names = new HashSet<>();
    if (everythingChanged.getAndSet(false)) {
      vips.getStore().listKeys().forEach(names::add);
      names.addAll(decisions.keySet());
    }
    for (Iterator<String> it = changed.iterator(); it.hasNext(); ) {
      names.add(it.next());
      it.remove();
    }
    for (String name : names) {
      VirtualIP vip = vips.getStore().getByKey(name);
      if (vip == null) {
        table.forget(name);
        reporter.forget(name);
        decisions.remove(name);
        skipped.remove(name);
        continue;
      }
      InstancePlan.Decision decision = decide(vip);
      if (decision.settings() != null) {
        table.serve(name, decision.settings());
        skipped.remove(name);
      } else {
        table.drop(name);
        if (!decision.reason().equals(skipped.put(name, decision.reason()))) {
          LOG.info("{}: not running here: {}", name, decision.reason());
        }
      }
    }
    for (InstanceTable.Operation operation : table.plan()) {
      carryOut(operation);
    }
  }

  private void carryOut(InstanceTable.Operation operation) {
    if (operation instanceof InstanceTable.Start start) {
      boolean highest = start.virtualIps().stream().anyMatch(this::plannedHighest);
      boolean claim = highest && start.virtualIps().stream().map(vips.getStore()::getByKey)
          .allMatch(InstancePlan::unreported);
      if (highest) {
        settleQuietly(start.settings(), claim);
      }
      // its first transition (BACKUP, or MASTER for an owner) reports it
      run(start.settings(), start.virtualIps(), () -> agent.add(start.settings(), claim));
    } else if (operation instanceof InstanceTable.Stop stop) {
      try {
        agent.remove(stop.instance());
      } catch (IOException e) {
        LOG.error("{}: stopping failed: {}", stop.instance(), e.getMessage());
      }
    } else if (operation instanceof InstanceTable.ChangeInterval change) {
      run(null, List.of(), () -> agent.changeInterval(change.instance(), change.interval()));
    } else if (operation instanceof InstanceTable.ChangeAddresses change) {
      run(change.settings(), change.virtualIps(), () -> {
        try {
          agent.changeAddresses(change.settings().name(), change.settings().addresses());
        } catch (IllegalArgumentException refused) {
          LOG.info("{}: {}", change.settings().name(), refused.getMessage());
          restart(change.settings());
        }
        // only the VirtualIPs that joined get entries now: rewriting every member's entry on each
        // join was most of the agents' writes with 1000 VirtualIPs on 255 VRIDs
        InstanceStatus status = agent.status(change.settings().name());
        if (status != null) {
          change.joined().forEach(vip -> reportEntry(vip, entry(status)));
        }
      });
    } else if (operation instanceof InstanceTable.Restart restart) {
      run(restart.settings(), restart.virtualIps(), () -> {
        LOG.info("{}: configuration changed; restarting the instance", restart.settings().name());
        restart(restart.settings());
      });
    } else if (operation instanceof InstanceTable.Fault fault) {
      reportEntry(fault.virtualIp(), entry("FAULT", null, fault.problem()));
    } else if (operation instanceof InstanceTable.Release release) {
      reportEntry(release.virtualIp(), entry("RELEASED", null, "addresses released"));
    }
  }

  private interface AgentCall {
    void run() throws IOException;
  }

  private void run(InstanceSettings settings, List<String> virtualIps, AgentCall call) {
    try {
      call.run();
    } catch (IOException | RuntimeException e) {
      String instance = settings == null ? "instance" : settings.name();
      LOG.error("{}: cannot run: {}", instance, e.getMessage());
      if (settings != null) {
        table.failed(settings.name());
        try {
          agent.remove(settings.name());
        } catch (IOException | RuntimeException ignored) {
          // it did not run
        }
      }
      virtualIps.forEach(vip -> reportEntry(vip, entry("FAULT", null, "cannot run: " + e.getMessage())));
    }
  }

  private void restart(InstanceSettings settings) throws IOException {
    agent.remove(settings.name());
    agent.add(settings);
  }

  /**
   * Decides once per version of what the decision reads (spec, the operator's plan, the Nodes): the
   * agents' own entries change the VirtualIP thousands of times, and none of them changes the plan.
   */
  private InstancePlan.Decision decide(VirtualIP vip) {
    String key = planKey(vip) + "/" + nodeGeneration.get();
    CachedDecision cached = decisions.get(vip.getMetadata().getName());
    if (cached != null && cached.key().equals(key)) {
      return cached.decision();
    }
    InstancePlan.Decision decision = InstancePlan.decide(vip, nodeName, nodes.getStore()::getByKey, lookups);
    decisions.put(vip.getMetadata().getName(), new CachedDecision(key, decision));
    return decision;
  }

  /** Everything of a VirtualIP that {@link InstancePlan#decide} reads, besides the node's own lookups. */
  static String planKey(VirtualIP vip) {
    StringBuilder key = new StringBuilder()
        .append(vip.getMetadata().getUid()).append('/').append(vip.getMetadata().getGeneration())
        .append('/').append(vip.getMetadata().getDeletionTimestamp() != null);
    var status = vip.getStatus();
    if (status != null) {
      key.append('/').append(status.getVirtualRouterId());
      status.getPriorities().forEach(p -> key.append('/').append(p.getNode()).append('=').append(p.getPriority()));
      status.getConditions().stream().filter(c -> "Conflict".equals(c.getType()))
          .forEach(c -> key.append("/Conflict=").append(c.getStatus()));
    }
    return key.toString();
  }

  private record CachedDecision(String key, InstancePlan.Decision decision) {}

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
      InstanceStatus status = agent.status(instance);
      if (status == null) {
        continue;
      }
      for (String vip : table.virtualIpsOf(instance)) {
        if (!reporter.writtenWithin(vip, heartbeat)) {
          reporter.refresh(vip, entry(status));
        }
      }
    }
    for (String vip : table.released()) {
      if (!reporter.writtenWithin(vip, heartbeat)) {
        reporter.refresh(vip, entry("RELEASED", null, "addresses released"));
      }
    }
  }

  private void heartbeat() {
    // What the node looks up (the route to a VirtualIP without spec.interface, a Secret) can change
    // without the VirtualIP changing: decide those again once per heartbeat.
    decisions.keySet().removeIf(name -> {
      VirtualIP vip = vips.getStore().getByKey(name);
      return vip == null || usesLookups(vip);
    });
    everythingChanged.set(true);
    reconcile();
  }

  private static boolean usesLookups(VirtualIP vip) {
    var spec = vip.getSpec();
    return spec != null && (spec.getInterfaceName() == null || spec.getInterfaceName().isBlank()
        || (spec.getAuthentication() != null && spec.getAuthentication().getPasswordSecretRef() != null));
  }

  private void report(String instance) {
    InstanceStatus status = agent.status(instance);
    if (status != null) {
      report(status);
    }
  }

  /**
   * The node planned highest will be master one Master_Down_Interval (or claim interval) after it starts: its BACKUP
   * before that is not written (with 1000 VirtualIPs every write counts), only MASTER, or BACKUP
   * if it is still that after the interval (another node won).
   */
  private void settleQuietly(InstanceSettings settings, boolean claim) {
    String instance = settings.name();
    quietUntilSettled.add(instance);
    // the engine's own first wait (Timers.startupWait), plus a margin for the loop and the write
    Duration settle = Timers.startupWait(settings.version(), settings.priority(), settings.advertisementInterval(),
        claim).plus(SETTLE_MARGIN);
    worker.schedule(() -> {
      if (quietUntilSettled.remove(instance)) {
        report(instance);
      }
    }, settle.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void report(InstanceStatus status) {
    if (quietUntilSettled.contains(status.name())) {
      if ("BACKUP".equals(status.state()) || "INITIALIZE".equals(status.state())) {
        return;
      }
      quietUntilSettled.remove(status.name());
    }
    for (String vip : table.virtualIpsOf(status.name())) {
      reportEntry(vip, entry(status));
    }
  }

  private NodeStatus entry(InstanceStatus status) {
    return entry(status.state(), status, String.join(", ", status.faults()));
  }

  private NodeStatus entry(String state, InstanceStatus status, String message) {
    NodeStatus entry = new NodeStatus();
    entry.setName(nodeName);
    entry.setState(state);
    entry.setHeartbeatTime(clock.instant().toString());
    if (status != null) {
      entry.setPriority(status.priority());
      entry.setEffectivePriority(status.effectivePriority());
      entry.setAddress(status.source());
      entry.setLastTransitionTime(status.lastTransition().toString());
      entry.setTransitions(status.transitions());
    }
    entry.setMessage(message == null || message.isEmpty() ? null : message);
    return entry;
  }

  private void reportEntry(String name, NodeStatus entry) {
    reporter.submit(name, entry);
  }

  /**
   * First step of a graceful stop: no more watching or deciding, so nothing starts an instance
   * while the agent resigns. Transitions are still reported.
   */
  public void stopWatching() {
    stopping = true;
    if (vips != null) {
      vips.close();
    }
    if (nodes != null) {
      nodes.close();
    }
  }

  /** Last step of a graceful stop, after the instances resigned: their entries are written, then it ends. */
  @Override
  public void close() {
    stopWatching();
    worker.shutdown();
    try {
      worker.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    worker.shutdownNow();
    reporter.close();
  }
}
