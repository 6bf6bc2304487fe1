package dev.vrrp.operator.agents;

import static dev.vrrp.operator.Vips.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AgentDaemonSetTest {
  private static final AgentDaemonSet.Settings SETTINGS =
      new AgentDaemonSet.Settings(
          "vrrp-system",
          "registry.example/node-agent:1.2.3",
          Duration.ofSeconds(10),
          Duration.ofSeconds(30));

  private static final List<VirtualIP> TWO_GROUPS =
      List.of(
          vip("a")
              .addresses("192.0.2.10/24")
              .selector("vrrp", "edge")
              .toleration("edge", "Exists", null, "NoSchedule")
              .build(),
          vip("b").addresses("192.0.2.11/24").selector("vrrp", "edge").build(),
          vip("c")
              .addresses("198.51.100.10/24")
              .selector("zone", "z1", "role", "lb")
              .toleration("edge", "Exists", null, "NoSchedule")
              .toleration("dedicated", "Equal", "lb", "NoExecute")
              .build());

  private static PodSpec pod(DaemonSet ds) {
    return ds.getSpec().getTemplate().getSpec();
  }

  private static Container agent(DaemonSet ds) {
    return pod(ds).getContainers().get(0);
  }

  @Test
  void oneDaemonSetServesEveryVirtualIp() {
    DaemonSet ds = AgentDaemonSet.render(SETTINGS, TWO_GROUPS);
    assertThat(ds.getMetadata().getName()).isEqualTo("vrrp-agent");
    assertThat(ds.getMetadata().getNamespace()).isEqualTo("vrrp-system");
    assertThat(pod(ds).getContainers()).hasSize(1);
    assertThat(ds.getSpec().getSelector().getMatchLabels())
        .isEqualTo(
            Map.of("app.kubernetes.io/name", "vrrp-agent", "app.kubernetes.io/component", "agent"));
    assertThat(ds.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(ds.getSpec().getSelector().getMatchLabels());
    assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isEqualTo(1);
  }

  @Test
  void daemonSetAndPodsCarryTheSelectorsLabelsAndWhoManagesThem() {
    DaemonSet ds = AgentDaemonSet.render(SETTINGS, TWO_GROUPS);
    Map<String, String> expected =
        Map.of(
            "app.kubernetes.io/name", "vrrp-agent",
            "app.kubernetes.io/component", "agent",
            "app.kubernetes.io/part-of", "vrrp-operator",
            "app.kubernetes.io/managed-by", "vrrp-operator");
    assertThat(ds.getMetadata().getLabels()).isEqualTo(expected);
    assertThat(ds.getSpec().getTemplate().getMetadata().getLabels()).isEqualTo(expected);
  }

  @Test
  void podRunsOnTheHostNetworkWithOnlyNetAdminAndNetRaw() {
    DaemonSet ds = AgentDaemonSet.render(SETTINGS, TWO_GROUPS);
    assertThat(pod(ds).getHostNetwork()).isTrue();
    assertThat(pod(ds).getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
    assertThat(pod(ds).getServiceAccountName()).isEqualTo("vrrp-agent");
    assertThat(pod(ds).getTerminationGracePeriodSeconds()).isEqualTo(30L);
    var security = agent(ds).getSecurityContext();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getCapabilities().getAdd()).containsExactly("NET_ADMIN", "NET_RAW");
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getPrivileged()).isFalse();
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(pod(ds).getSecurityContext().getSeccompProfile().getType())
        .isEqualTo("RuntimeDefault");
    assertThat(agent(ds).getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    assertThat(agent(ds).getVolumeMounts())
        .as("the node's processes, for process checks, read-only")
        .anySatisfy(
            m -> {
              assertThat(m.getMountPath()).isEqualTo("/host/proc");
              assertThat(m.getReadOnly()).isTrue();
              assertThat(pod(ds).getVolumes())
                  .filteredOn(v -> v.getName().equals(m.getName()))
                  .singleElement()
                  .satisfies(v -> assertThat(v.getHostPath().getPath()).isEqualTo("/proc"));
            });
  }

  @Test
  void commandIsTheJvmWithSmallFootprintFlagsInKubernetesMode() {
    DaemonSet ds = AgentDaemonSet.render(SETTINGS, TWO_GROUPS);
    assertThat(agent(ds).getCommand())
        .containsExactly(
            "java",
            "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20",
            "-XX:TieredStopAtLevel=1",
            "-Xss256k",
            "-Xms16m",
            "-Xmx128m",
            "-XX:MaxMetaspaceSize=64m",
            "-XX:ReservedCodeCacheSize=32m",
            "-jar",
            "/opt/vrrp/node-agent.jar",
            "kubernetes");
    assertThat(agent(ds).getArgs()).isEmpty();
    assertThat(agent(ds).getImage()).isEqualTo("registry.example/node-agent:1.2.3");
  }

  @Test
  void nodeIdentityComesFromTheDownwardApiAndAdminBindsTheHostIp() {
    DaemonSet ds = AgentDaemonSet.render(SETTINGS, TWO_GROUPS);
    Map<String, EnvVar> env =
        agent(ds).getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    assertThat(env.get("NODE_NAME").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("spec.nodeName");
    assertThat(env.get("HOST_IP").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("status.hostIP");
    assertThat(env.get("ADMIN_ADDRESS").getValue()).isEqualTo("$(HOST_IP):9477");
    assertThat(env.get("HEARTBEAT").getValue()).isEqualTo("10s");
    assertThat(env.get("POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.namespace");
    assertThat(agent(ds).getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getMountPath()).isEqualTo("/run/vrrp-agent");
              assertThat(pod(ds).getVolumes())
                  .filteredOn(v -> v.getName().equals(m.getName()))
                  .singleElement()
                  .satisfies(
                      v -> assertThat(v.getHostPath().getPath()).isEqualTo("/run/vrrp-agent"));
            });
    List<String> names = agent(ds).getEnv().stream().map(EnvVar::getName).toList();
    assertThat(names.indexOf("HOST_IP"))
        .as("$(HOST_IP) needs HOST_IP defined before it")
        .isLessThan(names.indexOf("ADMIN_ADDRESS"));
    assertThat(agent(ds).getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getContainerPort()).isEqualTo(9477);
              assertThat(p.getHostPort()).isEqualTo(9477);
            });
    assertThat(agent(ds).getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(agent(ds).getReadinessProbe().getHttpGet().getPath())
        .as("ready only while it can run VRRP (libpcap, raw sockets)")
        .isEqualTo("/readyz");
    assertThat(agent(ds).getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("admin");
    assertThat(agent(ds).getResources().getLimits()).doesNotContainKey("cpu").containsKey("memory");
  }

  @Test
  void nodeAffinityIsTheOrOfTheDistinctSelectors() {
    DaemonSet ds = AgentDaemonSet.render(SETTINGS, TWO_GROUPS);
    List<NodeSelectorTerm> terms =
        pod(ds)
            .getAffinity()
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms();
    assertThat(terms).hasSize(2);
    assertThat(terms)
        .map(
            t ->
                t.getMatchExpressions().stream()
                    .map(e -> e.getKey() + " " + e.getOperator() + " " + e.getValues())
                    .toList())
        .containsExactlyInAnyOrder(
            List.of("role In [lb]", "zone In [z1]"), List.of("vrrp In [edge]"));
  }

  @Test
  void anEmptySelectorMeansEveryNodeSoNoAffinity() {
    List<VirtualIP> vips = new ArrayList<>(TWO_GROUPS);
    vips.add(vip("everywhere").addresses("192.0.2.99").build());
    assertThat(pod(AgentDaemonSet.render(SETTINGS, vips)).getAffinity()).isNull();
  }

  @Test
  void tolerationsAreTheUnionWithoutDuplicates() {
    DaemonSet ds = AgentDaemonSet.render(SETTINGS, TWO_GROUPS);
    assertThat(pod(ds).getTolerations())
        .map(t -> t.getKey() + "/" + t.getOperator() + "/" + t.getValue() + "/" + t.getEffect())
        .containsExactlyInAnyOrder(
            "edge/Exists/null/NoSchedule",
            "dedicated/Equal/lb/NoExecute",
            "vrrp.dev/drain/Exists/null/null");
  }

  @Test
  void theAgentsTolerateTheDrainTaintSoADrainedNodeKeepsItsBackup() {
    DaemonSet ds =
        AgentDaemonSet.render(SETTINGS, List.of(vip("plain").addresses("192.0.2.9").build()));
    assertThat(pod(ds).getTolerations())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getKey()).isEqualTo("vrrp.dev/drain");
              assertThat(t.getOperator()).isEqualTo("Exists");
              assertThat(t.getEffect()).as("every effect, NoExecute too").isNull();
            });
  }

  @Test
  void renderingDoesNotDependOnOrderAndHashesStably() {
    List<VirtualIP> reversed = new ArrayList<>(TWO_GROUPS);
    Collections.reverse(reversed);
    DaemonSet one = AgentDaemonSet.render(SETTINGS, TWO_GROUPS);
    DaemonSet two = AgentDaemonSet.render(SETTINGS, reversed);
    assertThat(two).isEqualTo(one);
    assertThat(one.getMetadata().getAnnotations())
        .containsEntry(AgentDaemonSet.HASH_ANNOTATION, AgentDaemonSet.hash(one));
    List<VirtualIP> more = new ArrayList<>(TWO_GROUPS);
    more.add(vip("d").addresses("192.0.2.50").selector("zone", "z2").build());
    assertThat(AgentDaemonSet.hash(AgentDaemonSet.render(SETTINGS, more)))
        .isNotEqualTo(AgentDaemonSet.hash(one));
  }

  @Test
  void theOperatorsDeploymentOwnsTheDaemonSetSoAnUninstallRemovesTheAgents() {
    Deployment operator =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("vrrp-operator")
            .withNamespace("vrrp-system")
            .withUid("0b1c")
            .endMetadata()
            .build();

    DaemonSet ds = AgentDaemonSet.render(SETTINGS, TWO_GROUPS, operator);

    assertThat(ds.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            owner -> {
              assertThat(owner.getApiVersion()).isEqualTo("apps/v1");
              assertThat(owner.getKind()).isEqualTo("Deployment");
              assertThat(owner.getName()).isEqualTo("vrrp-operator");
              assertThat(owner.getUid()).isEqualTo("0b1c");
              assertThat(owner.getController()).as("the DaemonSet controller is").isNull();
            });
    assertThat(AgentDaemonSet.render(SETTINGS, TWO_GROUPS).getMetadata().getOwnerReferences())
        .isEmpty();
    assertThat(AgentDaemonSet.hash(ds))
        .as("a recreated Deployment (new uid) is applied again")
        .isNotEqualTo(AgentDaemonSet.hash(AgentDaemonSet.render(SETTINGS, TWO_GROUPS)));
  }

  @Test
  void theRollingUpdateMovesOnOnlyAfterTheNewAgentWasReadyForAWhile() {
    DaemonSet ds = AgentDaemonSet.render(SETTINGS, TWO_GROUPS);
    assertThat(ds.getSpec().getMinReadySeconds()).isEqualTo(AgentDaemonSet.MIN_READY_SECONDS);
    assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isEqualTo(1);
    assertThat(agent(ds).getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
  }

  @Test
  void noVirtualIpMeansNoDaemonSet() {
    assertThat(AgentDaemonSet.render(SETTINGS, List.of())).isNull();
  }

  @Test
  void theImageDefaultsToTheReleasedAgent() {
    DaemonSet ds =
        AgentDaemonSet.render(new AgentDaemonSet.Settings("ns", null, null, null), TWO_GROUPS);
    assertThat(agent(ds).getImage()).isEqualTo("ghcr.io/vrrp-dev/node-agent:0.1.0");
    assertThat(pod(ds).getTerminationGracePeriodSeconds()).isEqualTo(30L);
  }
}
