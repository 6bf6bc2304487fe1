package dev.vrrp.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.agent.config.CheckSettings.CheckType;
import dev.vrrp.agent.config.InstanceSettings;
import dev.vrrp.api.v1alpha1.Authentication;
import dev.vrrp.api.v1alpha1.HealthCheck;
import dev.vrrp.api.v1alpha1.NodePriority;
import dev.vrrp.api.v1alpha1.NodeStatus;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPSpec;
import dev.vrrp.api.v1alpha1.VirtualIPStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InstancePlanTest {
  private static final Map<String, Node> NODES =
      Map.of(
          "a", node("a", "192.0.2.11"), "b", node("b", "192.0.2.12"), "c", node("c", "192.0.2.13"));
  private static final InstancePlan.Lookups LOOKUPS =
      new InstancePlan.Lookups() {
        @Override
        public Optional<String> interfaceFor(String address) {
          return address.startsWith("192.0.2.") ? Optional.of("eth1") : Optional.empty();
        }

        @Override
        public InstancePlan.SecretValue secret(String namespace, String name, String key) {
          return switch (namespace + "/" + name + "/" + key) {
            case "kube-system/vrrp/password" -> InstancePlan.SecretValue.of("s3cret");
            case "kube-system/vrrp/long" -> InstancePlan.SecretValue.of("twelve-chars");
            default -> InstancePlan.SecretValue.unusable("not found");
          };
        }
      };
  private static final InstancePlan.NodeView NODE_VIEW =
      new InstancePlan.NodeView() {
        @Override
        public Optional<Node> node(String name) {
          return Optional.ofNullable(NODES.get(name));
        }

        @Override
        public Collection<Node> nodes() {
          return NODES.values();
        }
      };

  @Test
  void runsWhatTheStatusPlansForThisNode() {
    VirtualIP vip = planned(vip("web"), 42, "a", 250, "b", 200);
    InstanceSettings s = decide(vip, "b").settings();
    assertThat(s.name()).isEqualTo("web");
    assertThat(s.interfaceName()).as("from the route to the first address").isEqualTo("eth1");
    assertThat(s.virtualRouterId()).isEqualTo(42);
    assertThat(s.priority()).isEqualTo(200);
    assertThat(s.advertisementInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(s.addresses()).extracting(Object::toString).containsExactly("192.0.2.100/24");
    assertThat(s.unicastPeers()).isEmpty();
    assertThat(decide(vip, "b").highest()).as("b is planned below a").isFalse();
    assertThat(decide(vip, "a").highest()).isTrue();
  }

  @Test
  void onlyAVirtualIpNoNodeHasReportedIsUnreported() {
    VirtualIP fresh = planned(vip("web"), 42, "a", 250, "b", 200);
    assertThat(InstancePlan.unreported(fresh)).isTrue();

    VirtualIP reported = planned(vip("web"), 42, "a", 250, "b", 200);
    NodeStatus entry = new NodeStatus();
    entry.setName("b");
    entry.setState("BACKUP");
    reported.getStatus().getNodes().add(entry);
    assertThat(InstancePlan.unreported(reported))
        .as("an agent (maybe this one, before a restart) ran it")
        .isFalse();

    VirtualIP mastered = planned(vip("web"), 42, "a", 250, "b", 200);
    mastered.getStatus().setMaster("b");
    assertThat(InstancePlan.unreported(mastered)).isFalse();

    assertThat(InstancePlan.unreported(vip("web"))).as("not planned yet (and so not run)").isTrue();
    assertThat(InstancePlan.unreported(null)).as("gone").isFalse();
  }

  @Test
  void skipsWithAReason() {
    assertThat(decide(vip("web"), "a").reason()).contains("VRID");
    assertThat(decide(planned(vip("web"), 42, "a", 250, "b", 200), "c").reason())
        .contains("not selected");
    VirtualIP conflicted = planned(vip("web"), 42, "a", 250, "b", 200);
    conflicted
        .getStatus()
        .getConditions()
        .add(new ConditionBuilder().withType("Conflict").withStatus("True").build());
    assertThat(decide(conflicted, "a").reason()).contains("Conflict");
    VirtualIP deleting = planned(vip("web"), 42, "a", 250, "b", 200);
    deleting.getMetadata().setDeletionTimestamp("2026-11-24T00:00:00Z");
    assertThat(decide(deleting, "a").reason()).contains("deleted");
    VirtualIP noRoute = planned(vip("web"), 42, "a", 250);
    noRoute.getSpec().setAddresses(List.of("198.51.100.7/24"));
    assertThat(decide(noRoute, "a").reason()).contains("set spec.interface");
    assertThat(decide(noRoute, "a").verdict())
        .as("planned here: the entry says why")
        .isEqualTo(InstancePlan.Verdict.FAULT);
    assertThat(decide(deleting, "a").verdict()).isEqualTo(InstancePlan.Verdict.NOT_HERE);
  }

  @Test
  void aNodesOwnAddressIsRefusedNamingTheNode() {
    VirtualIP vip = planned(vip("steal"), 42, "a", 250, "b", 200);
    vip.getSpec().setAddresses(List.of("192.0.2.12/24"));
    InstancePlan.Decision decision = decide(vip, "a");
    assertThat(decision.verdict()).isEqualTo(InstancePlan.Verdict.FAULT);
    assertThat(decision.reason())
        .isEqualTo(
            "spec.addresses: 192.0.2.12 is the InternalIP of node b; a virtual "
                + "address must not be a node's own");
  }

  @Test
  void aSecretThatCannotBeUsedSaysWhy() {
    VirtualIP vip = planned(vip("db"), 7, "a", 250);
    vip.getSpec().setVersion(2);
    vip.getSpec().setAdvertisementInterval("1s");
    Authentication auth = new Authentication();
    Authentication.SecretKeyRef ref = new Authentication.SecretKeyRef();
    ref.setNamespace("kube-system");
    ref.setName("vrrp");
    ref.setKey("long");
    auth.setPasswordSecretRef(ref);
    vip.getSpec().setAuthentication(auth);
    assertThat(decide(vip, "a").reason())
        .isEqualTo(
            "spec.authentication.passwordSecretRef: Secret "
                + "kube-system/vrrp key long: the password must be 1-8 characters, got 12 (VRRPv2 carries 1-8 characters)");
    ref.setKey("missing");
    assertThat(decide(vip, "a").reason())
        .isEqualTo(
            "spec.authentication.passwordSecretRef: Secret "
                + "kube-system/vrrp key missing: not found");
    assertThat(decide(vip, "a").verdict()).isEqualTo(InstancePlan.Verdict.FAULT);
  }

  @Test
  void unicastPeersAreTheOtherPlannedNodesAndSecretsAreResolved() {
    VirtualIP vip = planned(vip("db"), 7, "a", 250, "b", 200, "c", 150);
    vip.getSpec().setUnicast(true);
    vip.getSpec().setVersion(2);
    vip.getSpec().setAdvertisementInterval("1s");
    Authentication auth = new Authentication();
    Authentication.SecretKeyRef ref = new Authentication.SecretKeyRef();
    ref.setNamespace("kube-system");
    ref.setName("vrrp");
    ref.setKey("password");
    auth.setPasswordSecretRef(ref);
    vip.getSpec().setAuthentication(auth);
    InstanceSettings s = decide(vip, "a").settings();
    assertThat(s.unicastPeers())
        .extracting(a -> a.getHostAddress())
        .containsExactly("192.0.2.12", "192.0.2.13");
    assertThat(s.password()).isEqualTo("s3cret");
  }

  @Test
  void checksAreValidatedLikeTheStandaloneConfig() {
    VirtualIP vip = planned(vip("web"), 42, "a", 250);
    HealthCheck check = new HealthCheck();
    check.setType("exec");
    check.setCommand(List.of("/bin/true"));
    check.setWeight(-50);
    vip.getSpec().setTrack(List.of(check));
    assertThat(decide(vip, "a").settings().track().get(0).type()).isEqualTo(CheckType.EXEC);
    vip.getSpec().setPreemptDelay("forever");
    assertThat(decide(vip, "a").reason())
        .isEqualTo(
            "spec.preemptDelay: must be a duration like 100ms, 1s, 1.5s or 1m30s, got 'forever'");
  }

  @Test
  void onlyAnIntervalChangeIsAppliedLive() {
    InstanceSettings a = decide(planned(vip("web"), 42, "a", 250), "a").settings();
    VirtualIP slower = planned(vip("web"), 42, "a", 250);
    slower.getSpec().setAdvertisementInterval("200ms");
    InstanceSettings b = decide(slower, "a").settings();
    assertThat(InstancePlan.onlyIntervalDiffers(b, a)).isTrue();
    VirtualIP moved = planned(vip("web"), 43, "a", 250);
    assertThat(InstancePlan.onlyIntervalDiffers(decide(moved, "a").settings(), a)).isFalse();
  }

  private static InstancePlan.Decision decide(VirtualIP vip, String node) {
    return InstancePlan.decide(vip, node, NODE_VIEW, LOOKUPS);
  }

  private static VirtualIP vip(String name) {
    VirtualIP vip = new VirtualIP();
    vip.getMetadata().setName(name);
    vip.setSpec(new VirtualIPSpec());
    vip.getSpec().setAddresses(List.of("192.0.2.100/24"));
    vip.getSpec().setAdvertisementInterval("100ms");
    return vip;
  }

  private static VirtualIP planned(VirtualIP vip, int vrid, Object... nodePriorities) {
    VirtualIPStatus status = new VirtualIPStatus();
    status.setVirtualRouterId(vrid);
    for (int i = 0; i < nodePriorities.length; i += 2) {
      status
          .getPriorities()
          .add(new NodePriority((String) nodePriorities[i], (Integer) nodePriorities[i + 1]));
    }
    vip.setStatus(status);
    return vip;
  }

  private static Node node(String name, String ip) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .addNewAddress()
        .withType("InternalIP")
        .withAddress(ip)
        .endAddress()
        .endStatus()
        .build();
  }
}
