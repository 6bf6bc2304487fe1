package dev.vrrp.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vrrp.agent.config.InstanceSettings;
import dev.vrrp.agent.loop.InstanceStatus;
import dev.vrrp.agent.loop.Instances;
import dev.vrrp.agent.loop.StartOptions;
import dev.vrrp.api.text.VirtualAddress;
import dev.vrrp.api.v1alpha1.Authentication;
import dev.vrrp.api.v1alpha1.NodePriority;
import dev.vrrp.api.v1alpha1.NodeStatus;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPSpec;
import dev.vrrp.api.v1alpha1.VirtualIPStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes mode's decisions without root or an API server: a cluster view, instances and a
 * status sink of the test's own, the real worker thread. Whatever goes wrong ends in an entry.
 */
class AgentReconcilerTest {
  private static final Duration HEARTBEAT = Duration.ofSeconds(60);

  private final FakeCluster cluster = new FakeCluster();
  private final FakeInstances instances = new FakeInstances();
  private final RecordingSink sink = new RecordingSink();
  private final List<Throwable> taskFailures = new CopyOnWriteArrayList<>();
  private final Worker worker = new Worker("test-worker", (what, t) -> taskFailures.add(t));
  private InstancePlan.Lookups lookups =
      new InstancePlan.Lookups() {
        @Override
        public Optional<String> interfaceFor(String address) {
          return Optional.of("eth0");
        }

        @Override
        public InstancePlan.SecretValue secret(String namespace, String name, String key) {
          return InstancePlan.SecretValue.unusable(
              "forbidden: the agents' service account may not read it");
        }
      };
  private AgentReconciler reconciler;

  @AfterEach
  void stop() {
    worker.close();
  }

  private void start(String node) {
    reconciler =
        new AgentReconciler(
            node,
            cluster,
            lookups,
            instances,
            sink,
            worker,
            Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC),
            HEARTBEAT);
    reconciler.start();
  }

  @Test
  void anErrorWhileStartingTheInstanceEndsInAFaultEntryNamingIt() {
    instances.failWith = new UnsatisfiedLinkError("Unable to load library 'pcap'");
    cluster.put(planned("web", "node-a", 200));
    start("node-a");

    await().until(() -> sink.last("web") != null);
    NodeStatus entry = sink.last("web");
    assertThat(entry.getState()).isEqualTo("FAULT");
    assertThat(entry.getMessage())
        .contains("UnsatisfiedLinkError")
        .contains("Unable to load library 'pcap'");
    assertThat(entry.getName()).isEqualTo("node-a");
  }

  @Test
  void anErrorInsideTheDecisionEndsInAFaultEntryAndTheOthersStillRun() {
    lookups =
        new InstancePlan.Lookups() {
          @Override
          public Optional<String> interfaceFor(String address) {
            if (address.equals("192.0.2.66")) {
              throw new StackOverflowError("deep");
            }
            return Optional.of("eth0");
          }

          @Override
          public InstancePlan.SecretValue secret(String namespace, String name, String key) {
            return InstancePlan.SecretValue.of("x");
          }
        };
    cluster.put(planned("bad", "node-a", 200, "192.0.2.66/24"));
    cluster.put(planned("good", "node-a", 200, "192.0.2.67/24"));
    reconciler =
        new AgentReconciler(
            "node-a", cluster, lookups, instances, sink, worker, Clock.systemUTC(), HEARTBEAT);
    reconciler.start();

    await().until(() -> sink.last("bad") != null && instances.started.contains("good"));
    assertThat(sink.last("bad").getState()).isEqualTo("FAULT");
    assertThat(sink.last("bad").getMessage())
        .contains("internal error while deciding")
        .contains("StackOverflowError");
  }

  @Test
  void aSecretTheAgentMayNotReadIsAFaultEntrySayingSo() {
    VirtualIP vip = planned("auth", "node-a", 200);
    vip.getSpec().setVersion(2);
    vip.getSpec().setAuthentication(secretRef("other", "vrrp", "password"));
    cluster.put(vip);
    reconciler =
        new AgentReconciler(
            "node-a", cluster, lookups, instances, sink, worker, Clock.systemUTC(), HEARTBEAT);
    reconciler.start();

    await().until(() -> sink.last("auth") != null);
    assertThat(sink.last("auth").getState()).isEqualTo("FAULT");
    assertThat(sink.last("auth").getMessage())
        .isEqualTo(
            "spec.authentication.passwordSecretRef: Secret "
                + "other/vrrp key password: forbidden: the agents' service account may not read it");
    assertThat(instances.started).isEmpty();
  }

  @Test
  void nothingIsDecidedBeforeTheFirstListAndNothingIsLostMeanwhile() throws Exception {
    cluster.synced = false;
    cluster.put(planned("web", "node-a", 200));
    start("node-a");
    reconciler.virtualIpChanged("web");
    Thread.sleep(300);
    assertThat(instances.started).as("an empty store is not an empty cluster").isEmpty();
    assertThat(reconciler.decidedOnce()).as("not ready: nothing decided").isFalse();

    cluster.synced = true;
    await().until(() -> instances.started.contains("web"));
    await().until(reconciler::decidedOnce);
  }

  @Test
  void theNodePlannedHighestClaimsANewVirtualIpAndTheOthersHoldBack() throws Exception {
    cluster.put(planned("web", "node-a", 250, "node-b", 200));
    start("node-b");
    Thread.sleep(300);
    assertThat(instances.started)
        .as("node-b waits for node-a, planned highest, to start it")
        .isEmpty();

    // node-a reported: node-b joins at once as a backup
    VirtualIP reported = planned("web", "node-a", 250, "node-b", 200);
    NodeStatus a = new NodeStatus();
    a.setName("node-a");
    a.setState("MASTER");
    reported.getStatus().getNodes().add(a);
    cluster.put(reported);
    reconciler.virtualIpChanged("web");
    await().until(() -> instances.started.contains("web"));
    assertThat(instances.claims).as("not a claim: node-a holds it").containsExactly(false);
  }

  @Test
  void aNewPlannedPriorityChangesTheRunningInstanceLiveInsteadOfRestartingIt() {
    cluster.put(planned("web", "node-a", 250, "node-b", 200));
    start("node-a");
    await().until(() -> instances.started.contains("web"));

    // the operator re-ranks (a node left the VirtualIP, say): the master keeps running
    cluster.put(planned("web", "node-a", 150, "node-b", 200));
    reconciler.virtualIpChanged("web");
    await().until(() -> instances.priorities.contains("web=150"));
    assertThat(instances.started).as("not restarted").containsExactly("web");
  }

  @Test
  void theHighestClaims() {
    cluster.put(planned("web", "node-a", 250, "node-b", 200));
    start("node-a");
    await().until(() -> instances.started.contains("web"));
    assertThat(instances.claims).containsExactly(true);
  }

  @Test
  void aCordonedNodeDrainsBeforeItStartsAnythingAndUncordonEndsTheDrain() {
    cluster.nodes.put("node-a", node("node-a", true));
    cluster.put(planned("web", "node-a", 250, "node-b", 200));
    start("node-a");
    await().until(() -> instances.started.contains("web"));
    assertThat(instances.drains).containsExactly(true);

    cluster.nodes.put("node-a", node("node-a", false));
    reconciler.nodesChanged();
    await().until(() -> instances.drains.size() == 2);
    assertThat(instances.drains).containsExactly(true, false);

    reconciler.nodesChanged();
    reconciler.virtualIpChanged("web");
    await().pollDelay(Duration.ofMillis(300)).until(() -> true);
    assertThat(instances.drains).as("no drain without a change").hasSize(2);
  }

  private static Node node(String name, boolean unschedulable) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withUnschedulable(unschedulable)
        .endSpec()
        .build();
  }

  private static Authentication secretRef(String namespace, String name, String key) {
    var auth = new Authentication();
    var ref = new Authentication.SecretKeyRef();
    ref.setNamespace(namespace);
    ref.setName(name);
    ref.setKey(key);
    auth.setPasswordSecretRef(ref);
    return auth;
  }

  static VirtualIP planned(String name, Object... nodePriorities) {
    String address = "192.0.2.100/24";
    if (nodePriorities.length % 2 == 1) {
      address = (String) nodePriorities[nodePriorities.length - 1];
    }
    VirtualIP vip = new VirtualIP();
    vip.getMetadata().setName(name);
    vip.getMetadata().setUid(name + "-uid");
    vip.getMetadata().setGeneration(1L);
    vip.setSpec(new VirtualIPSpec());
    vip.getSpec().setAddresses(List.of(address));
    VirtualIPStatus status = new VirtualIPStatus();
    status.setVirtualRouterId(7);
    for (int i = 0; i + 1 < nodePriorities.length; i += 2) {
      status
          .getPriorities()
          .add(new NodePriority((String) nodePriorities[i], (Integer) nodePriorities[i + 1]));
    }
    vip.setStatus(status);
    return vip;
  }

  static final class FakeCluster implements ClusterView {
    final Map<String, VirtualIP> vips = new ConcurrentHashMap<>();
    final Map<String, Node> nodes = new ConcurrentHashMap<>();
    volatile boolean synced = true;

    void put(VirtualIP vip) {
      vips.put(vip.getMetadata().getName(), vip);
    }

    @Override
    public Optional<VirtualIP> virtualIp(String name) {
      return Optional.ofNullable(vips.get(name));
    }

    @Override
    public List<String> virtualIpNames() {
      return new ArrayList<>(vips.keySet());
    }

    @Override
    public boolean synced() {
      return synced;
    }

    @Override
    public Optional<Node> node(String name) {
      return Optional.of(
          nodes.getOrDefault(
              name, new NodeBuilder().withNewMetadata().withName(name).endMetadata().build()));
    }

    @Override
    public Collection<Node> nodes() {
      return List.of();
    }
  }

  static final class FakeInstances implements Instances {
    final List<String> started = new CopyOnWriteArrayList<>();
    final List<Boolean> claims = new CopyOnWriteArrayList<>();
    final List<Boolean> drains = new CopyOnWriteArrayList<>();
    final List<String> priorities = new CopyOnWriteArrayList<>();
    volatile Throwable failWith;

    @Override
    public void add(InstanceSettings settings, StartOptions options) throws IOException {
      if (failWith instanceof Error e) {
        throw e;
      }
      started.add(settings.name());
      claims.add(options.claim());
    }

    @Override
    public void remove(String name) {
      started.remove(name);
    }

    @Override
    public void changeInterval(String name, Duration interval) {}

    @Override
    public void changeAddresses(String name, List<VirtualAddress> next) {}

    @Override
    public void changePriority(String name, int priority) {
      priorities.add(name + "=" + priority);
    }

    @Override
    public void releaseLeftovers() {}

    @Override
    public void drain(boolean on) {
      drains.add(on);
    }

    @Override
    public void held(String name) {}

    @Override
    public InstanceStatus status(String name) {
      return null;
    }

    @Override
    public void onTransition(Consumer<InstanceStatus> listener) {}
  }

  static final class RecordingSink implements StatusSink {
    final Map<String, NodeStatus> last = new ConcurrentHashMap<>();

    NodeStatus last(String vip) {
      return last.get(vip);
    }

    @Override
    public void submit(String virtualIp, NodeStatus entry) {
      last.put(virtualIp, entry);
    }

    @Override
    public void refresh(String virtualIp, NodeStatus entry) {
      last.put(virtualIp, entry);
    }

    @Override
    public boolean writtenWithin(String virtualIp, Duration age) {
      return last.containsKey(virtualIp);
    }

    @Override
    public void forget(String virtualIp) {
      last.remove(virtualIp);
    }

    @Override
    public void close() {}
  }
}
