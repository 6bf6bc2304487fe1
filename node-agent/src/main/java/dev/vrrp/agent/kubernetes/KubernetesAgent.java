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
  private final Map<String, InstanceSettings> running = new HashMap<>();
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
    nodes = client.nodes().inform(cast(trigger), 0);
    worker.scheduleWithFixedDelay(this::heartbeat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    queueReconcile();
  }

  @SuppressWarnings("unchecked")
  private static <T> ResourceEventHandler<T> cast(ResourceEventHandler<Object> handler) {
    return (ResourceEventHandler<T>) (ResourceEventHandler<?>) handler;
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
    Map<String, InstanceSettings> desired = new HashMap<>();
    Map<String, VirtualIP> byName = new HashMap<>();
    for (VirtualIP vip : vips.getStore().list()) {
      String name = vip.getMetadata().getName();
      byName.put(name, vip);
      InstancePlan.Decision decision = InstancePlan.decide(vip, nodeName, nodes.getStore()::getByKey, lookups);
      if (decision.settings() != null) {
        desired.put(name, decision.settings());
        skipped.remove(name);
      } else if (!decision.reason().equals(skipped.put(name, decision.reason()))) {
        LOG.info("{}: not running here: {}", name, decision.reason());
      }
    }
    for (String name : Set.copyOf(running.keySet())) {
      if (!desired.containsKey(name)) {
        stop(name, byName.containsKey(name));
      }
    }
    for (Map.Entry<String, InstanceSettings> e : desired.entrySet()) {
      InstanceSettings current = running.get(e.getKey());
      try {
        if (current == null) {
          agent.add(e.getValue());
          running.put(e.getKey(), e.getValue());
          released.remove(e.getKey());
          report(e.getKey());
        } else if (InstancePlan.onlyIntervalDiffers(e.getValue(), current)) {
          agent.changeInterval(e.getKey(), e.getValue().advertisementInterval());
          running.put(e.getKey(), e.getValue());
        } else if (!current.equals(e.getValue())) {
          LOG.info("{}: configuration changed; restarting the instance", e.getKey());
          agent.remove(e.getKey());
          agent.add(e.getValue());
          running.put(e.getKey(), e.getValue());
        }
      } catch (IOException | RuntimeException ex) {
        LOG.error("{}: cannot run: {}", e.getKey(), ex.getMessage());
        running.remove(e.getKey());
        reportEntry(e.getKey(), entry("FAULT", null, "cannot run: " + ex.getMessage()));
      }
    }
    skipped.keySet().retainAll(byName.keySet());
    released.retainAll(byName.keySet());
  }

  private void stop(String name, boolean stillExists) {
    try {
      agent.remove(name);
    } catch (IOException e) {
      LOG.error("{}: stopping failed: {}", name, e.getMessage());
    }
    running.remove(name);
    if (stillExists) {
      released.add(name);
      reportEntry(name, entry("RELEASED", null, "addresses released"));
    }
  }

  private void heartbeat() {
    running.keySet().forEach(this::report);
    released.forEach(name -> reportEntry(name, entry("RELEASED", null, "addresses released")));
  }

  private void report(String name) {
    agent.status().stream().filter(s -> s.name().equals(name)).findFirst()
        .ifPresent(s -> reportEntry(name, entry(s.state(), s, String.join(", ", s.faults()))));
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
    reporter.report(name, entry);
  }

  /** Graceful stop: every instance resigns, then the entries say so. */
  @Override
  public void close() {
    worker.shutdownNow();
    if (vips != null) {
      vips.close();
    }
    if (nodes != null) {
      nodes.close();
    }
  }
}
