package dev.vrrp.operator;

import static dev.vrrp.operator.Cluster.conditionIs;
import static dev.vrrp.operator.Cluster.create;
import static dev.vrrp.operator.Cluster.get;
import static dev.vrrp.operator.Cluster.hasEvent;
import static dev.vrrp.operator.Cluster.node;
import static dev.vrrp.operator.Cluster.report;
import static dev.vrrp.operator.Cluster.vip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vrrp.api.v1alpha1.NodeEntryPatch;
import dev.vrrp.api.v1alpha1.NodePriority;
import dev.vrrp.api.v1alpha1.NodeStatus;
import dev.vrrp.api.v1alpha1.OperatorManager;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.lab.SharedApiServer;
import dev.vrrp.operator.agents.AgentDaemonSet;
import dev.vrrp.operator.agents.AgentDaemonSetKeeper;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator against a real kube-apiserver + etcd: no kubelet, scheduler or controller-manager,
 * so the DaemonSet creates no pods; the tests create Nodes themselves and write agent entries the
 * way agents do (server-side apply under {@code vrrp-agent/<node>}). Each test uses its own node
 * group (label {@code group}), so VRIDs of different tests never interact.
 */
@Tag("integration")
class VirtualIpOperatorIT {
  static final String NAMESPACE = "vrrp-system";
  static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(10);
  @RegisterExtension static final SharedApiServer API = new SharedApiServer();
  static KubernetesClient client;
  static VirtualIpOperator operator;

  @BeforeAll
  static void startOperator() {
    client = API.client();
    Cluster.installCrd(client);
    Cluster.createNamespace(client, NAMESPACE);
    Cluster.createNamespace(client, "default");
    OperatorSettings settings =
        OperatorSettings.defaults(NAMESPACE)
            .withIdentity("operator-it")
            .withReleaseTimeout(RELEASE_TIMEOUT)
            .withExitOnLostLeadership(false);
    operator =
        new VirtualIpOperator(client, settings, new SimpleMeterRegistry(), Clock.systemUTC());
    operator.start();
    await().atMost(Duration.ofSeconds(30)).until(operator::leading);
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
    }
  }

  private static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100));
  }

  private static Map<String, Integer> priorities(VirtualIP vip) {
    return vip.getStatus().getPriorities().stream()
        .collect(Collectors.toMap(NodePriority::getNode, NodePriority::getPriority));
  }

  private static boolean installed(VirtualIP vip) {
    return vip != null
        && vip.getStatus() != null
        && vip.getStatus().getVirtualRouterId() != null
        && !vip.getStatus().getPriorities().isEmpty();
  }

  @Test
  void leaderElectionHoldsTheLeaseInTheOperatorsNamespace() {
    var lease = client.leases().inNamespace(NAMESPACE).withName(OperatorSettings.LEASE_NAME).get();
    assertThat(lease).isNotNull();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("operator-it");
  }

  @Test
  void daemonSetIsRenderedAndAppliedAsSpecified() {
    node(client, "ds-1", "group", "ds-a");
    VirtualIP a = vip("ds-a", Map.of("group", "ds-a"), "198.51.100.1/24");
    a.getSpec()
        .setTolerations(
            List.of(
                new TolerationBuilder()
                    .withKey("dedicated")
                    .withOperator("Equal")
                    .withValue("lb")
                    .withEffect("NoSchedule")
                    .build()));
    create(client, a);
    create(client, vip("ds-b", Map.of("group", "ds-b", "zone", "z1"), "198.51.100.2/24"));

    DaemonSet ds =
        eventually()
            .until(
                () ->
                    client
                        .apps()
                        .daemonSets()
                        .inNamespace(NAMESPACE)
                        .withName(AgentDaemonSet.NAME)
                        .get(),
                d ->
                    d != null
                        && termsOf(d)
                            .containsAll(
                                List.of(
                                    List.of("group In [ds-a]"),
                                    List.of("group In [ds-b]", "zone In [z1]"))));
    var pod = ds.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    assertThat(pod.getHostNetwork()).isTrue();
    assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
    assertThat(pod.getServiceAccountName()).isEqualTo("vrrp-agent");
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(30L);
    assertThat(pod.getTolerations()).anySatisfy(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getSecurityContext().getCapabilities().getAdd())
        .containsExactly("NET_ADMIN", "NET_RAW");
    assertThat(container.getCommand())
        .startsWith("java", "-XX:+UseG1GC")
        .endsWith("-jar", "/opt/vrrp/node-agent.jar", "kubernetes");
    assertThat(container.getImage()).isEqualTo(AgentDaemonSet.DEFAULT_IMAGE);
    assertThat(container.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("NODE_NAME");
              assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
            });
    assertThat(container.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("HOST_IP");
              assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.hostIP");
            });
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(ds.getMetadata().getManagedFields())
        .anySatisfy(
            m -> {
              assertThat(m.getManager()).isEqualTo(OperatorManager.NAME);
              assertThat(m.getOperation()).isEqualTo("Apply");
            });

    // idempotent: another sync changes nothing
    assertThat(operator.daemonSet().sync())
        .isIn(AgentDaemonSetKeeper.Outcome.UNCHANGED, AgentDaemonSetKeeper.Outcome.APPLIED);
    assertThat(operator.daemonSet().sync()).isEqualTo(AgentDaemonSetKeeper.Outcome.UNCHANGED);
    DaemonSet after =
        client.apps().daemonSets().inNamespace(NAMESPACE).withName(AgentDaemonSet.NAME).get();
    assertThat(after.getMetadata().getGeneration()).isEqualTo(ds.getMetadata().getGeneration());
    String version = after.getMetadata().getResourceVersion();
    assertThat(operator.daemonSet().sync()).isEqualTo(AgentDaemonSetKeeper.Outcome.UNCHANGED);
    assertThat(
            client
                .apps()
                .daemonSets()
                .inNamespace(NAMESPACE)
                .withName(AgentDaemonSet.NAME)
                .get()
                .getMetadata()
                .getResourceVersion())
        .isEqualTo(version);

    // edited behind the operator's back: the edit is undone
    client
        .apps()
        .daemonSets()
        .inNamespace(NAMESPACE)
        .withName(AgentDaemonSet.NAME)
        .edit(
            d -> {
              d.getSpec()
                  .getTemplate()
                  .getSpec()
                  .getContainers()
                  .get(0)
                  .setImage("example.test/tampered:1");
              return d;
            });
    eventually()
        .until(
            () ->
                client
                    .apps()
                    .daemonSets()
                    .inNamespace(NAMESPACE)
                    .withName(AgentDaemonSet.NAME)
                    .get()
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .getImage()
                    .equals(AgentDaemonSet.DEFAULT_IMAGE));

    // deleted behind the operator's back: it comes back
    client.apps().daemonSets().inNamespace(NAMESPACE).withName(AgentDaemonSet.NAME).delete();
    eventually()
        .until(
            () -> {
              DaemonSet back =
                  client
                      .apps()
                      .daemonSets()
                      .inNamespace(NAMESPACE)
                      .withName(AgentDaemonSet.NAME)
                      .get();
              return back != null
                  && back.getMetadata().getDeletionTimestamp() == null
                  && !Objects.equals(back.getMetadata().getUid(), ds.getMetadata().getUid());
            });
  }

  private static List<List<String>> termsOf(DaemonSet ds) {
    var affinity = ds.getSpec().getTemplate().getSpec().getAffinity();
    if (affinity == null) {
      return List.of();
    }
    return affinity
        .getNodeAffinity()
        .getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms()
        .stream()
        .map(
            t ->
                t.getMatchExpressions().stream()
                    .map(e -> e.getKey() + " " + e.getOperator() + " " + e.getValues())
                    .sorted()
                    .toList())
        .toList();
  }

  @Test
  void allocatesVridsPerSegmentHonoursExplicitOnesAndSpreadsMasters() {
    for (int i = 1; i <= 3; i++) {
      node(client, "alloc-a" + i, "group", "alloc-a");
    }
    node(client, "alloc-b1", "group", "alloc-b");
    node(client, "alloc-b2", "group", "alloc-b");
    Map<String, String> a = Map.of("group", "alloc-a");
    VirtualIP explicit = vip("alloc-0-explicit", a, "198.51.100.10/24");
    explicit.getSpec().setVirtualRouterId(1);
    create(client, explicit);
    create(client, vip("alloc-1", a, "198.51.100.11/24"));
    create(client, vip("alloc-2", a, "198.51.100.12/24"));
    create(client, vip("alloc-3", a, "198.51.100.13/24"));
    create(client, vip("alloc-b", Map.of("group", "alloc-b"), "198.51.100.20/24"));
    VirtualIP six = vip("alloc-six", a, "2001:db8::20/64");
    create(client, six);

    List<String> names =
        List.of("alloc-0-explicit", "alloc-1", "alloc-2", "alloc-3", "alloc-b", "alloc-six");
    eventually().until(() -> names.stream().allMatch(n -> installed(get(client, n))));
    assertThat(get(client, "alloc-0-explicit").getStatus().getVirtualRouterId()).isEqualTo(1);
    assertThat(List.of(get(client, "alloc-1"), get(client, "alloc-2"), get(client, "alloc-3")))
        .extracting(v -> v.getStatus().getVirtualRouterId())
        .containsExactly(2, 3, 4);
    assertThat(get(client, "alloc-b").getStatus().getVirtualRouterId())
        .as("a disjoint node group reuses VRIDs")
        .isEqualTo(1);
    assertThat(get(client, "alloc-six").getStatus().getVirtualRouterId())
        .as("IPv6 has its own VRIDs")
        .isEqualTo(1);
    for (String name : names) {
      VirtualIP v = get(client, name);
      assertThat(conditionIs(v, "Conflict", "False", null)).as(name).isTrue();
      assertThat(v.getStatus().getObservedGeneration()).isEqualTo(v.getMetadata().getGeneration());
    }
    assertThat(priorities(get(client, "alloc-1")))
        .containsOnlyKeys("alloc-a1", "alloc-a2", "alloc-a3");
    assertThat(priorities(get(client, "alloc-b"))).containsOnlyKeys("alloc-b1", "alloc-b2");
    // the four IPv4 VirtualIPs of group a: every node is the planned master of at least one
    List<String> masters =
        names.subList(0, 4).stream()
            .map(n -> get(client, n).getStatus().getPriorities().get(0).getNode())
            .toList();
    assertThat(masters).contains("alloc-a1", "alloc-a2", "alloc-a3");
  }

  @Test
  void anExplicitVridClashIsAConflictOnTheLaterOneUntilTheEarlierGoes() {
    node(client, "clash-1", "group", "clash");
    node(client, "clash-2", "group", "clash");
    VirtualIP first = vip("clash-first", Map.of("group", "clash"), "198.51.100.30/24");
    first.getSpec().setVirtualRouterId(42);
    create(client, first);
    eventually().until(() -> installed(get(client, "clash-first")));
    VirtualIP second = vip("clash-second", Map.of("group", "clash"), "198.51.100.31/24");
    second.getSpec().setVirtualRouterId(42);
    create(client, second);

    VirtualIP refused =
        eventually()
            .until(
                () -> get(client, "clash-second"),
                v -> conditionIs(v, "Conflict", "True", "VridConflict"));
    assertThat(Cluster.condition(refused, "Conflict").orElseThrow().getMessage())
        .contains("virtualRouterId 42", "VirtualIP clash-first");
    assertThat(refused.getStatus().getVirtualRouterId()).isNull();
    assertThat(refused.getStatus().getPriorities()).as("no agent installs it").isEmpty();
    assertThat(conditionIs(refused, "Ready", "False", "VridConflict")).isTrue();
    eventually().until(() -> hasEvent(client, "clash-second", "VridConflict"));
    assertThat(get(client, "clash-first").getStatus().getVirtualRouterId()).isEqualTo(42);

    // the earlier one goes (no agent reported, so nothing to wait for): the later one is installed
    client.resources(VirtualIP.class).withName("clash-first").delete();
    VirtualIP now =
        eventually().until(() -> get(client, "clash-second"), VirtualIpOperatorIT::installed);
    assertThat(now.getStatus().getVirtualRouterId()).isEqualTo(42);
    assertThat(conditionIs(now, "Conflict", "False", "NoConflict")).isTrue();
  }

  @Test
  void theSameAddressTwiceIsAConflictOnTheLaterOne() {
    node(client, "addr-x1", "group", "addr-x");
    node(client, "addr-y1", "group", "addr-y");
    create(client, vip("addr-first", Map.of("group", "addr-x"), "198.51.100.40/24"));
    eventually().until(() -> installed(get(client, "addr-first")));
    create(client, vip("addr-second", Map.of("group", "addr-y"), "198.51.100.41", "198.51.100.40"));
    VirtualIP refused =
        eventually()
            .until(
                () -> get(client, "addr-second"),
                v -> conditionIs(v, "Conflict", "True", "AddressConflict"));
    assertThat(Cluster.condition(refused, "Conflict").orElseThrow().getMessage())
        .contains("198.51.100.40", "VirtualIP addr-first");
    assertThat(refused.getStatus().getPriorities()).isEmpty();
    assertThat(refused.getStatus().getVirtualRouterId()).isNull();
    assertThat(installed(get(client, "addr-first"))).isTrue();
  }

  @Test
  void statusFollowsTheAgentsEntriesWithoutEverRemovingThem() {
    for (int i = 1; i <= 3; i++) {
      node(client, "agg-" + i, "group", "agg");
    }
    create(client, vip("agg", Map.of("group", "agg"), "198.51.100.50/24"));
    eventually().until(() -> installed(get(client, "agg")));
    assertThat(conditionIs(get(client, "agg"), "Ready", "Unknown", "AwaitingAgents")).isTrue();

    Instant t0 = Instant.now();
    report(client, "agg", "agg-1", "MASTER", t0, t0);
    report(client, "agg", "agg-2", "BACKUP", t0, t0);
    report(client, "agg", "agg-3", "BACKUP", t0, t0);
    // the master is written at once; the ready count may follow within StatusCoalescer.COALESCE
    VirtualIP elected =
        eventually()
            .until(
                () -> get(client, "agg"),
                v ->
                    "agg-1".equals(v.getStatus().getMaster())
                        && "3/3".equals(v.getStatus().getReady()));
    assertThat(elected.getStatus().getTransitions()).isEqualTo(1L);
    assertThat(elected.getStatus().getLastFailoverTime()).isNotNull();
    assertThat(conditionIs(elected, "Ready", "True", "MasterElected")).isTrue();
    assertThat(conditionIs(elected, "Degraded", "False", "AllNodesHealthy")).isTrue();
    eventually().until(() -> hasEvent(client, "agg", "MasterElected"));
    String readySince = Cluster.condition(elected, "Ready").orElseThrow().getLastTransitionTime();

    // agg-2 takes over while agg-1 keeps reporting MASTER: split brain, an Event, no master. (Until
    // agg-1's next report, agg-2's takeover supersedes agg-1's older entry: a master change may be
    // seen in between, so transitions are counted as at least, not exactly.)
    Instant t1 = Instant.now();
    report(client, "agg", "agg-2", "MASTER", t1, t1);
    report(client, "agg", "agg-1", "MASTER", t1.plusMillis(10), t0);
    VirtualIP split =
        eventually()
            .until(
                () -> get(client, "agg"),
                v -> conditionIs(v, "SplitBrain", "True", "MultipleMasters"));
    assertThat(split.getStatus().getMaster()).isNull();
    assertThat(conditionIs(split, "Ready", "False", "SplitBrain")).isTrue();
    eventually().until(() -> hasEvent(client, "agg", "SplitBrain"));
    assertThat(Cluster.events(client, "agg"))
        .filteredOn(e -> "SplitBrain".equals(e.getReason()))
        .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));

    // agg-1 steps down: agg-2 is master, a second transition and a MasterChanged Event
    Instant t2 = Instant.now();
    report(client, "agg", "agg-1", "BACKUP", t2, t2);
    VirtualIP changed =
        eventually()
            .until(() -> get(client, "agg"), v -> "agg-2".equals(v.getStatus().getMaster()));
    assertThat(changed.getStatus().getTransitions()).isGreaterThanOrEqualTo(2L);
    assertThat(changed.getStatus().getLastFailoverTime())
        .isGreaterThanOrEqualTo(elected.getStatus().getLastFailoverTime());
    assertThat(conditionIs(changed, "SplitBrain", "False", null)).isTrue();
    eventually()
        .until(
            () ->
                Cluster.events(client, "agg").stream()
                    .anyMatch(
                        e ->
                            e.getReason().startsWith("Master")
                                && e.getMessage().startsWith("agg-2 is master")));
    assertThat(Cluster.condition(changed, "Ready").orElseThrow().getLastTransitionTime())
        .as("Ready went True -> False -> True, so it moved")
        .isGreaterThanOrEqualTo(readySince);

    // agg-3 falls silent: Unknown in the Degraded message, 2/3 ready; its entry stays as it wrote
    // it
    report(client, "agg", "agg-3", "BACKUP", Instant.now().minus(Duration.ofMinutes(2)), t0);
    VirtualIP degraded =
        eventually()
            .until(
                () -> get(client, "agg"),
                v -> conditionIs(v, "Degraded", "True", "NodesUnhealthy"));
    assertThat(Cluster.condition(degraded, "Degraded").orElseThrow().getMessage())
        .contains("agg-3: Unknown");
    assertThat(degraded.getStatus().getReady()).isEqualTo("2/3");
    assertThat(degraded.getStatus().getMaster()).isEqualTo("agg-2");
    assertThat(degraded.getStatus().getNodes())
        .extracting(NodeStatus::getName)
        .containsExactlyInAnyOrder("agg-1", "agg-2", "agg-3");
    assertThat(degraded.getStatus().getNodes())
        .filteredOn(e -> e.getName().equals("agg-3"))
        .extracting(NodeStatus::getState)
        .containsExactly("BACKUP");

    // field ownership: each agent owns its entry, the operator owns the summary and not
    // status.nodes
    List<ManagedFieldsEntry> managed = degraded.getMetadata().getManagedFields();
    ManagedFieldsEntry operatorStatus =
        managed.stream()
            .filter(
                m ->
                    OperatorManager.NAME.equals(m.getManager())
                        && "status".equals(m.getSubresource()))
            .findFirst()
            .orElseThrow();
    String owned = operatorStatus.getFieldsV1().getAdditionalProperties().toString();
    assertThat(owned)
        .contains("f:master", "f:conditions", "f:priorities", "f:virtualRouterId")
        .doesNotContain("f:nodes");
    for (int i = 1; i <= 3; i++) {
      String node = "agg-" + i;
      String agent = NodeEntryPatch.fieldManager(node);
      assertThat(managed)
          .as(agent)
          .anySatisfy(
              m -> {
                assertThat(m.getManager()).isEqualTo(agent);
                assertThat(m.getFieldsV1().getAdditionalProperties().toString()).contains(node);
              });
    }
    // the JOSDK finalizer apply (main resource) owns the finalizer and nothing of the user's spec
    managed.stream()
        .filter(m -> OperatorManager.NAME.equals(m.getManager()) && m.getSubresource() == null)
        .forEach(
            m ->
                assertThat(m.getFieldsV1().getAdditionalProperties().toString())
                    .doesNotContain("f:spec"));
    assertThat(degraded.getSpec().getAddresses()).containsExactly("198.51.100.50/24");
  }

  @Test
  void agentsWritingConcurrentlyWithTheOperatorLoseNothing() throws Exception {
    for (int i = 1; i <= 3; i++) {
      node(client, "conc-" + i, "group", "conc");
    }
    create(client, vip("conc", Map.of("group", "conc"), "198.51.100.60/24"));
    eventually().until(() -> installed(get(client, "conc")));
    ExecutorService pool = Executors.newFixedThreadPool(3);
    CountDownLatch start = new CountDownLatch(1);
    try {
      for (int i = 1; i <= 3; i++) {
        String node = "conc-" + i;
        pool.submit(
            () -> {
              start.await();
              for (int round = 0; round < 20; round++) {
                Instant now = Instant.now();
                report(client, "conc", node, node.equals("conc-1") ? "MASTER" : "BACKUP", now, now);
              }
              return null;
            });
      }
      start.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }
    VirtualIP settled =
        eventually()
            .until(
                () -> get(client, "conc"),
                v ->
                    "conc-1".equals(v.getStatus().getMaster())
                        && "3/3".equals(v.getStatus().getReady()));
    assertThat(settled.getStatus().getNodes())
        .extracting(NodeStatus::getName)
        .containsExactlyInAnyOrder("conc-1", "conc-2", "conc-3");
  }

  @Test
  void aNodeLabelChangeReplansAndKeepsTheMaster() {
    node(client, "lab-1", "group", "lab");
    node(client, "lab-2", "group", "lab");
    node(client, "lab-3", "group", "other");
    create(client, vip("lab", Map.of("group", "lab"), "198.51.100.70/24"));
    VirtualIP before = eventually().until(() -> get(client, "lab"), VirtualIpOperatorIT::installed);
    assertThat(priorities(before)).containsOnlyKeys("lab-1", "lab-2");
    String master = before.getStatus().getPriorities().get(0).getNode();

    client
        .nodes()
        .withName("lab-3")
        .edit(
            n -> {
              n.getMetadata().getLabels().put("group", "lab");
              return n;
            });
    VirtualIP after = eventually().until(() -> get(client, "lab"), v -> priorities(v).size() == 3);
    assertThat(after.getStatus().getPriorities().get(0).getNode()).isEqualTo(master);
    assertThat(after.getStatus().getPriorities().get(2).getNode())
        .as("the newcomer starts at the bottom")
        .isEqualTo("lab-3");
    assertThat(after.getStatus().getReady()).isEqualTo("0/3");
  }

  @Test
  void deletionWaitsUntilTheAgentsReleasedTheAddresses() throws Exception {
    node(client, "fin-1", "group", "fin");
    node(client, "fin-2", "group", "fin");
    create(client, vip("fin", Map.of("group", "fin"), "198.51.100.80/24"));
    // the finalizer follows the first plan in a patch of its own: wait for both
    VirtualIP vip =
        eventually()
            .until(
                () -> get(client, "fin"),
                v ->
                    installed(v)
                        && v.getMetadata().getFinalizers().contains(VirtualIP.RELEASE_FINALIZER));
    assertThat(vip.getMetadata().getFinalizers()).contains(VirtualIP.RELEASE_FINALIZER);
    Instant now = Instant.now();
    report(client, "fin", "fin-1", "MASTER", now, now);
    report(client, "fin", "fin-2", "BACKUP", now, now);
    eventually().until(() -> "fin-1".equals(get(client, "fin").getStatus().getMaster()));

    client.resources(VirtualIP.class).withName("fin").delete();
    Thread.sleep(3000);
    assertThat(get(client, "fin")).as("kept while the agents hold the address").isNotNull();
    report(client, "fin", "fin-1", "RELEASED", Instant.now(), Instant.now());
    Thread.sleep(1000);
    assertThat(get(client, "fin")).as("fin-2 has not released yet").isNotNull();
    report(client, "fin", "fin-2", "RELEASED", Instant.now(), Instant.now());
    eventually().until(() -> get(client, "fin") == null);
    assertThat(hasEvent(client, "fin", "AddressesReleased")).isTrue();
  }

  @Test
  void aDeadHolderCannotBlockDeletionLongerThanTheTimeout() {
    node(client, "dead-1", "group", "dead");
    create(client, vip("dead", Map.of("group", "dead"), "198.51.100.90/24"));
    eventually().until(() -> installed(get(client, "dead")));
    // an entry that stays fresh (heartbeat in the future) and never says RELEASED
    report(
        client,
        "dead",
        "dead-1",
        "MASTER",
        Instant.now().plus(Duration.ofMinutes(5)),
        Instant.now());
    eventually().until(() -> "dead-1".equals(get(client, "dead").getStatus().getMaster()));
    long deleted = System.nanoTime();
    client.resources(VirtualIP.class).withName("dead").delete();
    await()
        .atMost(RELEASE_TIMEOUT.plusSeconds(15))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> get(client, "dead") == null);
    double seconds = (System.nanoTime() - deleted) / 1e9;
    assertThat(seconds).isGreaterThanOrEqualTo(RELEASE_TIMEOUT.toSeconds() - 1.5);
    assertThat(hasEvent(client, "dead", "ReleaseTimedOut")).isTrue();
  }
}
