package dev.vrrp.operator.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPSpec;
import dev.vrrp.lab.SharedApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The keeper against a real kube-apiserver: what keeps the agents from running is its {@link
 * AgentDaemonSetKeeper#problem()} (the VirtualIPs' Ready reason), not only a log line.
 */
@Tag("integration")
class AgentDaemonSetKeeperIT {
  @RegisterExtension static final SharedApiServer API = new SharedApiServer();

  @Test
  void withoutItsOwnerDeploymentNothingIsAppliedAndTheProblemSaysWhy() {
    KubernetesClient client = API.client();
    String namespace = "keeper-owner";
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    var settings =
        new AgentDaemonSet.Settings(
            namespace, null, null, null, "vrrp-operator", /* labelNamespace */ true);
    AtomicInteger changes = new AtomicInteger();
    try (var keeper = new AgentDaemonSetKeeper(client, settings, Duration.ofMinutes(5))) {
      keeper.bind(() -> List.of(vip("web")));
      keeper.onProblemChanged(changes::incrementAndGet);

      assertThat(keeper.sync()).isEqualTo(AgentDaemonSetKeeper.Outcome.FAILED);
      assertThat(keeper.problem())
          .hasValueSatisfying(
              problem ->
                  assertThat(problem)
                      .contains("Deployment keeper-owner/vrrp-operator")
                      .contains("not found"));
      assertThat(client.apps().daemonSets().inNamespace(namespace).list().getItems()).isEmpty();
      assertThat(changes).hasValue(1);

      client.apps().deployments().inNamespace(namespace).resource(deployment()).create();
      assertThat(keeper.sync()).isEqualTo(AgentDaemonSetKeeper.Outcome.APPLIED);
      assertThat(keeper.problem()).isEmpty();
      assertThat(changes).hasValue(2);
      assertThat(
              client
                  .apps()
                  .daemonSets()
                  .inNamespace(namespace)
                  .withName(AgentDaemonSet.NAME)
                  .get()
                  .getMetadata()
                  .getOwnerReferences())
          .singleElement()
          .satisfies(owner -> assertThat(owner.getName()).isEqualTo("vrrp-operator"));
      assertThat(client.namespaces().withName(namespace).get().getMetadata().getLabels())
          .containsAllEntriesOf(PodSecurityLabels.PRIVILEGED);
    }
  }

  private static VirtualIP vip(String name) {
    VirtualIP vip = new VirtualIP();
    vip.getMetadata().setName(name);
    VirtualIPSpec spec = new VirtualIPSpec();
    spec.setAddresses(new ArrayList<>(List.of("192.0.2.10/24")));
    vip.setSpec(spec);
    return vip;
  }

  private static Deployment deployment() {
    Map<String, String> labels = Map.of("app", "vrrp-operator");
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("vrrp-operator")
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .withMatchLabels(labels)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("operator")
        .withImage("vrrp-operator:test")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
