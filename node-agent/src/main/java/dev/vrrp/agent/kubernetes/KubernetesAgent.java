package dev.vrrp.agent.kubernetes;

import dev.vrrp.agent.config.InstanceSettings;
import dev.vrrp.agent.loop.InstanceStatus;
import dev.vrrp.agent.loop.NodeAgent;
import dev.vrrp.api.v1alpha1.NodeStatus;
import dev.vrrp.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
  private final Duration heartbeat;
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "kubernetes");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean reconcileQueued = new AtomicBoolean();
  private final Map<String, SharedInstances.Group> running = new HashMap<>();
  private final Set<String> wasServed = new HashSet<>();
  private final Map<String, CachedDecision> decisions = new HashMap<>();
  private final java.util.concurrent.atomic.AtomicLong nodeGeneration = new java.util.concurrent.atomic.AtomicLong();
  private final Map<String, String> skipped = new HashMap<>();
  private final Set<String> released = new HashSet<>();
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
    agent.onTransition(status -> worker.execute(() -> report(status.name())));
    ResourceEventHandler<Object> trigger = new ResourceEventHandler<>() {
      @Override
      public void onAdd(Object obj) {
        queueReconcile();
      }

      @Override
      public void onUpdate(Object oldObj, Object newObj) {
        queueReconcile();
      }

      @Override
      public void onDelete(Object obj, boolean deletedFinalStateUnknown) {
        queueReconcile();
      }
    };
    vips = client.resources(VirtualIP.class).inform(cast(trigger), 0);
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
    queueReconcile();
  }

  @SuppressWarnings("unchecked")
  private static <T> ResourceEventHandler<T> cast(ResourceEventHandler<Object> handler) {
    return (ResourceEventHandler<T>) (ResourceEventHandler<?>) handler;
  }

  // Unicast peers come from Node addresses: any Node change invalidates every cached decision.
  private void nodesChanged() {
    nodeGeneration.incrementAndGet();
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
    Map<String, InstanceSettings> desiredByVip = new HashMap<>();
    Set<String> existing = new HashSet<>();
    for (VirtualIP vip : vips.getStore().list()) {
      String name = vip.getMetadata().getName();
      existing.add(name);
      InstancePlan.Decision decision = decide(vip);
      if (decision.settings() != null) {
        desiredByVip.put(name, decision.settings());
        skipped.remove(name);
      } else if (!decision.reason().equals(skipped.put(name, decision.reason()))) {
        LOG.info("{}: not running here: {}", name, decision.reason());
      }
    }
    Map<String, SharedInstances.Group> desired = new HashMap<>();
    SharedInstances.group(desiredByVip).forEach((instance, group) -> {
      if (group.problem() == null) {
        desired.put(instance, group);
      } else {
        group.virtualIps().forEach(vip -> reportEntry(vip, entry("FAULT", null, group.problem())));
      }
    });
    for (String instance : Set.copyOf(running.keySet())) {
      if (!desired.containsKey(instance)) {
        stop(instance);
      }
    }
    for (Map.Entry<String, SharedInstances.Group> e : desired.entrySet()) {
      String instance = e.getKey();
      SharedInstances.Group wanted = e.getValue();
      SharedInstances.Group current = running.get(instance);
      try {
        if (current == null) {
          // Its first transition (to BACKUP, or MASTER for an owner) reports it.
          running.put(instance, wanted);
          agent.add(wanted.settings());
        } else if (InstancePlan.onlyIntervalDiffers(wanted.settings(), current.settings())) {
          agent.changeInterval(instance, wanted.settings().advertisementInterval());
          running.put(instance, wanted);
        } else if (!current.settings().equals(wanted.settings())) {
          LOG.info("{}: configuration changed; restarting the instance", instance);
          agent.remove(instance);
          agent.add(wanted.settings());
          running.put(instance, wanted);
        } else if (!current.virtualIps().equals(wanted.virtualIps())) {
          running.put(instance, wanted);
        }
      } catch (IOException | RuntimeException ex) {
        LOG.error("{}: cannot run: {}", instance, ex.getMessage());
        running.remove(instance);
        wanted.virtualIps().forEach(vip -> reportEntry(vip, entry("FAULT", null, "cannot run: " + ex.getMessage())));
      }
    }
    Set<String> served = new HashSet<>();
    running.values().forEach(g -> served.addAll(g.virtualIps()));
    released.removeAll(served);
    released.retainAll(existing);
    skipped.keySet().retainAll(existing);
    decisions.keySet().retainAll(existing);
    for (String vip : existing) {
      if (!served.contains(vip) && wasServed.contains(vip)) {
        released.add(vip);
        reportEntry(vip, entry("RELEASED", null, "addresses released"));
      }
    }
    wasServed.clear();
    wasServed.addAll(served);
  }

  /**
   * Decides once per VirtualIP version and Node generation: a reconcile runs for every status write
   * of every agent, and re-validating 1000 unchanged VirtualIPs each time would dominate it.
   */
  private InstancePlan.Decision decide(VirtualIP vip) {
    String key = vip.getMetadata().getResourceVersion() + "/" + nodeGeneration.get();
    CachedDecision cached = decisions.get(vip.getMetadata().getName());
    if (cached != null && cached.key().equals(key)) {
      return cached.decision();
    }
    InstancePlan.Decision decision = InstancePlan.decide(vip, nodeName, nodes.getStore()::getByKey, lookups);
    decisions.put(vip.getMetadata().getName(), new CachedDecision(key, decision));
    return decision;
  }

  private record CachedDecision(String key, InstancePlan.Decision decision) {}

  private void stop(String instance) {
    try {
      agent.remove(instance);
    } catch (IOException e) {
      LOG.error("{}: stopping failed: {}", instance, e.getMessage());
    }
    running.remove(instance);
  }

  private void heartbeat() {
    running.keySet().forEach(this::report);
    released.forEach(name -> reportEntry(name, entry("RELEASED", null, "addresses released")));
  }

  private void report(String instance) {
    SharedInstances.Group group = running.get(instance);
    if (group == null) {
      return;
    }
    agent.status().stream().filter(s -> s.name().equals(instance)).findFirst().ifPresent(s -> group.virtualIps()
        .forEach(vip -> reportEntry(vip, entry(s.state(), s, String.join(", ", s.faults())))));
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

  /** Graceful stop: every instance resigns, then the entries say so. */
  @Override
  public void close() {
    worker.shutdownNow();
    reporter.close();
    if (vips != null) {
      vips.close();
    }
    if (nodes != null) {
      nodes.close();
    }
  }
}
