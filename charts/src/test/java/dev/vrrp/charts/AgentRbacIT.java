package dev.vrrp.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.vrrp.api.v1alpha1.NodeEntryPatch;
import dev.vrrp.api.v1alpha1.NodeStatus;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPSpec;
import dev.vrrp.operator.agents.AgentDaemonSet;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agents' RBAC as the chart installs it, on a real API server, acting as the service account
 * {@code system:serviceaccount:vrrp-system:vrrp-agent}: it can do what the agent's code does (watch
 * VirtualIPs and Nodes, server-side apply its status entry, read a Secret of the release namespace)
 * and nothing more: no spec change, no Secret elsewhere, no listing Secrets.
 */
@Tag("integration")
class AgentRbacIT {
  @RegisterExtension static final InstalledChart CHART = new InstalledChart();

  static final String AGENT = AgentDaemonSet.SERVICE_ACCOUNT;
  static final String NS = Chart.NAMESPACE;
  static final String VIP = "agent-rbac";
  static final String OTHER_NS = "other-team";

  static KubernetesClient agent;

  @BeforeAll
  static void objects() {
    KubernetesClient admin = CHART.admin();
    admin
        .resource(new NamespaceBuilder().withNewMetadata().withName(OTHER_NS).endMetadata().build())
        .serverSideApply();
    for (String namespace : List.of(NS, OTHER_NS, "kube-system")) {
      admin.resource(secret(namespace, "vrrp-password")).serverSideApply();
    }
    admin.resource(secret(NS, "unrelated")).serverSideApply();
    VirtualIP vip = new VirtualIP();
    vip.getMetadata().setName(VIP);
    VirtualIPSpec spec = new VirtualIPSpec();
    spec.setAddresses(new ArrayList<>(List.of("192.0.2.50/24")));
    vip.setSpec(spec);
    vip.setStatus(null);
    admin.resource(vip).create();
    agent = CHART.as(AGENT);
  }

  @AfterAll
  static void close() {
    if (agent != null) {
      agent.close();
    }
    CHART.admin().resources(VirtualIP.class).withName(VIP).delete();
  }

  @Test
  void authorizerAllowsExactlyTheAgentsCalls() {
    List<String> allowed =
        List.of(
            "get vrrp.dev virtualips",
            "list vrrp.dev virtualips",
            "watch vrrp.dev virtualips",
            "patch vrrp.dev virtualips/status",
            "get core nodes",
            "list core nodes",
            "watch core nodes",
            "get core secrets " + NS + " vrrp-password",
            "create core events default");
    List<String> denied =
        List.of(
            "create vrrp.dev virtualips",
            "update vrrp.dev virtualips",
            "patch vrrp.dev virtualips",
            "delete vrrp.dev virtualips",
            "deletecollection vrrp.dev virtualips",
            "update vrrp.dev virtualips/status",
            "update vrrp.dev virtualips/finalizers",
            "patch core nodes",
            "update core nodes",
            "list core secrets " + NS,
            "watch core secrets " + NS,
            "create core secrets " + NS,
            "update core secrets " + NS + " vrrp-password",
            "get core secrets " + OTHER_NS + " vrrp-password",
            "get core secrets kube-system vrrp-password",
            "get core secrets default vrrp-password",
            "list core secrets",
            "get core configmaps " + NS,
            "list core pods",
            "create apps daemonsets " + NS,
            "get coordination.k8s.io leases " + NS + " vrrp-operator",
            "create events.k8s.io events default",
            "create core events " + NS,
            "create core serviceaccounts/token " + NS + " " + AGENT);

    assertThat(allowed)
        .allSatisfy(
            q ->
                assertThat(Access.allowed(CHART.admin(), AGENT, Access.Question.of(q)))
                    .as("vrrp-agent may %s", Access.Question.of(q))
                    .isTrue());
    assertThat(denied)
        .allSatisfy(
            q ->
                assertThat(Access.allowed(CHART.admin(), AGENT, Access.Question.of(q)))
                    .as("vrrp-agent may not %s", Access.Question.of(q))
                    .isFalse());
  }

  @Test
  void agentCannotChangeAVirtualIpsSpec() {
    var resource = agent.resources(VirtualIP.class).withName(VIP);

    assertThat(
            Access.status(
                () ->
                    resource.patch(
                        PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"preempt\":false}}")))
        .as("merge patch of spec")
        .isEqualTo(403);
    assertThat(
            Access.status(
                () ->
                    resource.patch(
                        new PatchContext.Builder()
                            .withPatchType(PatchType.SERVER_SIDE_APPLY)
                            .withFieldManager(NodeEntryPatch.fieldManager("node-a"))
                            .withForce(true)
                            .build(),
                        "{\"apiVersion\":\"vrrp.dev/v1alpha1\",\"kind\":\"VirtualIP\",\"metadata\":{\"name\":\""
                            + VIP
                            + "\"},\"spec\":{\"addresses\":[\"192.0.2.51/24\"]}}")))
        .as("server-side apply of spec")
        .isEqualTo(403);
    VirtualIP changed = CHART.admin().resources(VirtualIP.class).withName(VIP).get();
    changed.getSpec().setPreempt(false);
    assertThat(Access.status(() -> agent.resource(changed).update())).as("update").isEqualTo(403);
    assertThat(Access.status(() -> agent.resources(VirtualIP.class).withName(VIP).delete()))
        .as("delete")
        .isEqualTo(403);
    VirtualIP another = new VirtualIP();
    another.getMetadata().setName("agent-made");
    another.setSpec(new VirtualIPSpec());
    another.getSpec().setAddresses(new ArrayList<>(List.of("192.0.2.52")));
    another.setStatus(null);
    assertThat(Access.status(() -> agent.resource(another).create())).as("create").isEqualTo(403);
    // the status, too, only by patch (server-side apply), not by update
    VirtualIP withStatus = CHART.admin().resources(VirtualIP.class).withName(VIP).get();
    assertThat(Access.status(() -> agent.resource(withStatus).updateStatus()))
        .as("update of status")
        .isEqualTo(403);

    VirtualIP stored = CHART.admin().resources(VirtualIP.class).withName(VIP).get();
    assertThat(stored.getSpec().getPreempt()).isNotEqualTo(Boolean.FALSE);
    assertThat(stored.getSpec().getAddresses()).containsExactly("192.0.2.50/24");
  }

  @Test
  void agentWritesItsStatusEntryWithServerSideApply() {
    NodeStatus entry = new NodeStatus();
    entry.setName("node-a");
    entry.setState("BACKUP");
    entry.setPriority(100);
    entry.setEffectivePriority(100);
    entry.setHeartbeatTime(Instant.now().toString());

    // exactly the agent's call (node-agent StatusReporter)
    VirtualIP written =
        NodeEntryPatch.apply(agent, NodeEntryPatch.fieldManager("node-a"), VIP, entry);

    assertThat(written.getStatus().getNodes())
        .extracting(NodeStatus::getName, NodeStatus::getState)
        .containsExactly(tuple("node-a", "BACKUP"));
    assertThat(
            CHART
                .admin()
                .resources(VirtualIP.class)
                .withName(VIP)
                .get()
                .getMetadata()
                .getManagedFields())
        .anySatisfy(
            f -> {
              assertThat(f.getManager()).isEqualTo(NodeEntryPatch.fieldManager("node-a"));
              assertThat(f.getSubresource()).isEqualTo("status");
            });
  }

  @Test
  void agentWatchesVirtualIpsAndNodes() {
    assertThat(agent.resources(VirtualIP.class).list().getItems())
        .extracting(v -> v.getMetadata().getName())
        .contains(VIP);
    assertThat(agent.nodes().list().getItems()).isNotNull();
    try (Watch vips = agent.resources(VirtualIP.class).watch(new Ignore<>());
        Watch nodes = agent.nodes().watch(new Ignore<>())) {
      assertThat(vips).isNotNull();
      assertThat(nodes).isNotNull();
    }
  }

  @Test
  void agentReadsSecretsOfTheReleaseNamespaceOnly() {
    Secret own = agent.secrets().inNamespace(NS).withName("vrrp-password").get();

    assertThat(own.getData()).containsKey("password");
    assertThat(
            Access.status(
                () -> agent.secrets().inNamespace(OTHER_NS).withName("vrrp-password").get()))
        .isEqualTo(403);
    assertThat(
            Access.status(
                () -> agent.secrets().inNamespace("kube-system").withName("vrrp-password").get()))
        .isEqualTo(403);
    assertThat(Access.status(() -> agent.secrets().inNamespace(NS).list()))
        .as("list")
        .isEqualTo(403);
    assertThat(Access.status(() -> agent.secrets().inAnyNamespace().list()))
        .as("list all")
        .isEqualTo(403);
    assertThat(
            Access.status(
                () ->
                    agent
                        .secrets()
                        .inNamespace(NS)
                        .withName("vrrp-password")
                        .edit(
                            s -> new SecretBuilder(s).addToStringData("password", "2222").build())))
        .as("edit")
        .isEqualTo(403);
  }

  @Test
  void secretNamesNarrowTheAgentsToThoseSecrets() {
    try {
      Chart.helm()
          .upgrade()
          .withName(Chart.RELEASE)
          .withNamespace(Chart.NAMESPACE)
          .withValuesFile(Chart.valuesFile("agent: {secrets: {names: [vrrp-password]}}"))
          .withKubeConfigContents(CHART.kubeconfig())
          .call();

      // the authorizer's RBAC cache follows the changed Role within moments
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  Access.status(() -> agent.secrets().inNamespace(NS).withName("unrelated").get())
                      == 403);
      assertThat(agent.secrets().inNamespace(NS).withName("vrrp-password").get()).isNotNull();
    } finally {
      Chart.helm()
          .upgrade()
          .withName(Chart.RELEASE)
          .withNamespace(Chart.NAMESPACE)
          .resetValues()
          .withKubeConfigContents(CHART.kubeconfig())
          .call();
    }
    await("every Secret of the namespace again")
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Access.status(() -> agent.secrets().inNamespace(NS).withName("unrelated").get())
                    == 200);
  }

  private static Secret secret(String namespace, String name) {
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .endMetadata()
        .withStringData(Map.of("password", "1111"))
        .build();
  }

  private static final class Ignore<T> implements Watcher<T> {
    @Override
    public void eventReceived(Action action, T resource) {}

    @Override
    public void onClose(WatcherException cause) {}
  }
}
