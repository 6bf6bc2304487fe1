package dev.vrrp.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vrrp.api.v1alpha1.NodeEntryPatch;
import dev.vrrp.api.v1alpha1.NodeStatus;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPSpec;
import dev.vrrp.api.vocabulary.NodeState;
import dev.vrrp.operator.OperatorSettings;
import dev.vrrp.operator.agents.AgentDaemonSet;
import dev.vrrp.operator.status.KubernetesEventRecorder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's RBAC is complete: the shaded operator.jar runs exactly as the chart's Deployment
 * says (its command, with the jar the Dockerfile copies, and its environment) while every request
 * it makes is authorized as {@code system:serviceaccount:vrrp-system:vrrp-operator}, and does its
 * whole job: Lease, VirtualIP finalizer and status, the agent DaemonSet, Events, release on
 * deletion, DaemonSet removal. An agent's status entry comes from the vrrp-agent service account
 * meanwhile.
 */
@Tag("integration")
class OperatorRbacIT {
  @RegisterExtension static final InstalledChart CHART = new InstalledChart();

  static final String NS = Chart.NAMESPACE;
  static final String VIP = "operator-rbac";
  static final String NODE = "rbac-node-a";
  static final String POD = "vrrp-operator-7d9f-rbac";

  @TempDir Path dir;

  @Test
  void authorizerAllowsTheOperatorsCallsAndNoMore() {
    String lease = OperatorSettings.LEASE_NAME;
    List<String> allowed =
        List.of(
            "get vrrp.dev virtualips",
            "list vrrp.dev virtualips",
            "watch vrrp.dev virtualips",
            "update vrrp.dev virtualips",
            "patch vrrp.dev virtualips",
            "get vrrp.dev virtualips/status",
            "patch vrrp.dev virtualips/status",
            "update vrrp.dev virtualips/status",
            "update vrrp.dev virtualips/finalizers",
            "get core nodes",
            "list core nodes",
            "watch core nodes",
            "create apps daemonsets " + NS,
            "get apps daemonsets " + NS + " vrrp-agent",
            "list apps daemonsets " + NS,
            "watch apps daemonsets " + NS,
            "patch apps daemonsets " + NS + " vrrp-agent",
            "update apps daemonsets " + NS + " vrrp-agent",
            "delete apps daemonsets " + NS + " vrrp-agent",
            "get apps deployments " + NS + " vrrp-operator",
            "patch core namespaces - " + NS,
            "create coordination.k8s.io leases " + NS,
            "get coordination.k8s.io leases " + NS + " " + lease,
            "update coordination.k8s.io leases " + NS + " " + lease,
            "patch coordination.k8s.io leases " + NS + " " + lease,
            "create core events " + KubernetesEventRecorder.NAMESPACE,
            // services.enabled (default): the LoadBalancer Service controller
            "get core services",
            "list core services",
            "watch core services",
            "patch core services/status shop web",
            "get core namespaces - " + NS,
            "list core namespaces",
            "watch core namespaces",
            "get discovery.k8s.io endpointslices",
            "list discovery.k8s.io endpointslices",
            "watch discovery.k8s.io endpointslices",
            "get vrrp.dev virtualippools",
            "list vrrp.dev virtualippools",
            "watch vrrp.dev virtualippools",
            "patch vrrp.dev virtualippools/status - edge",
            "create vrrp.dev virtualips",
            "delete vrrp.dev virtualips",
            "create core events shop");
    List<String> denied =
        List.of(
            "deletecollection vrrp.dev virtualips",
            "update core services shop web",
            "patch core services shop web",
            "delete core services shop web",
            "create vrrp.dev virtualippools",
            "patch vrrp.dev virtualippools",
            "patch core nodes",
            "update core nodes",
            "delete core nodes",
            "create apps daemonsets default",
            "list apps daemonsets",
            "create apps deployments " + NS,
            "get apps deployments " + NS + " someone-elses",
            "list apps deployments " + NS,
            "patch core namespaces - default",
            "update core namespaces - " + NS,
            "get coordination.k8s.io leases " + NS + " someone-elses-lease",
            "update coordination.k8s.io leases " + NS + " someone-elses-lease",
            "patch coordination.k8s.io leases " + NS + " someone-elses-lease",
            "delete coordination.k8s.io leases " + NS + " " + lease,
            "create coordination.k8s.io leases default",
            "get core secrets " + NS + " vrrp-password",
            "list core secrets",
            "patch core events default",
            "create events.k8s.io events default",
            "list core pods",
            "create core pods " + NS,
            "get core configmaps " + NS,
            "create rbac.authorization.k8s.io roles " + NS,
            "bind rbac.authorization.k8s.io clusterroles",
            "escalate rbac.authorization.k8s.io clusterroles",
            "create apiextensions.k8s.io customresourcedefinitions");

    assertThat(allowed)
        .allSatisfy(
            q ->
                assertThat(Access.allowed(CHART.admin(), "vrrp-operator", Access.Question.of(q)))
                    .as("vrrp-operator may %s", Access.Question.of(q))
                    .isTrue());
    assertThat(denied)
        .allSatisfy(
            q ->
                assertThat(Access.allowed(CHART.admin(), "vrrp-operator", Access.Question.of(q)))
                    .as("vrrp-operator may not %s", Access.Question.of(q))
                    .isFalse());
  }

  @Test
  void operatorDoesItsWholeJobWithTheChartsRbac() throws Exception {
    KubernetesClient admin = CHART.admin();
    Container container = ChartRenderTest.operatorContainer(Chart.render(""));
    int port = freePort();
    Process process = start(container, port);
    try (KubernetesClient agent = CHART.as(AgentDaemonSet.SERVICE_ACCOUNT)) {
      // leader: the Lease in the release namespace, held by this pod
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                Lease lease =
                    admin.leases().inNamespace(NS).withName(OperatorSettings.LEASE_NAME).get();
                return lease != null && POD.equals(lease.getSpec().getHolderIdentity());
              });
      assertThat(get(port, "/healthz")).isEqualTo(200);

      admin
          .resource(new NodeBuilder().withNewMetadata().withName(NODE).endMetadata().build())
          .serverSideApply();
      VirtualIP vip = new VirtualIP();
      vip.getMetadata().setName(VIP);
      vip.setSpec(new VirtualIPSpec());
      vip.getSpec().setAddresses(new ArrayList<>(List.of("198.51.100.20/24")));
      vip.setStatus(null);
      admin.resource(vip).create();

      // finalizer, plan in the status, the agent DaemonSet in the release namespace
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                VirtualIP v = admin.resources(VirtualIP.class).withName(VIP).get();
                return v.getMetadata().getFinalizers().contains(VirtualIP.RELEASE_FINALIZER)
                    && v.getStatus() != null
                    && v.getStatus().getVirtualRouterId() != null;
              });
      await().atMost(Duration.ofSeconds(30)).until(() -> daemonSet(admin) != null);
      DaemonSet ds = daemonSet(admin);
      assertThat(ds.getMetadata().getOwnerReferences())
          .as("owned by the operator's Deployment: an uninstall removes the agents")
          .singleElement()
          .satisfies(
              owner -> {
                assertThat(owner.getKind()).isEqualTo("Deployment");
                assertThat(owner.getName()).isEqualTo("vrrp-operator");
                assertThat(owner.getUid())
                    .isEqualTo(
                        admin
                            .apps()
                            .deployments()
                            .inNamespace(NS)
                            .withName("vrrp-operator")
                            .get()
                            .getMetadata()
                            .getUid());
              });
      assertThat(admin.namespaces().withName(NS).get().getMetadata().getLabels())
          .as("the agents need the privileged Pod Security level")
          .containsEntry("pod-security.kubernetes.io/enforce", "privileged");
      assertThat(ds.getSpec().getTemplate().getSpec().getServiceAccountName())
          .as("the agents run as the chart's service account")
          .isEqualTo("vrrp-agent");
      Container agentContainer = ds.getSpec().getTemplate().getSpec().getContainers().get(0);
      assertThat(agentContainer.getImage()).isEqualTo(value(container, "AGENT_IMAGE"));
      assertThat(agentContainer.getEnv())
          .filteredOn(e -> e.getName().equals("HEARTBEAT"))
          .extracting(EnvVar::getValue)
          .containsExactly(value(container, "AGENT_HEARTBEAT"));
      assertThat(ds.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
          .isEqualTo(30L);

      // an agent reports MASTER (as vrrp-agent); the operator elects it and records an Event in
      // "default"
      report(agent, "MASTER");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                VirtualIP v = admin.resources(VirtualIP.class).withName(VIP).get();
                return NODE.equals(v.getStatus().getMaster());
              });
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  admin
                      .v1()
                      .events()
                      .inNamespace(KubernetesEventRecorder.NAMESPACE)
                      .list()
                      .getItems()
                      .stream()
                      .anyMatch(
                          e ->
                              VIP.equals(e.getInvolvedObject().getName())
                                  && "MasterElected".equals(e.getReason())));

      // the leader renews its Lease (fabric8 renews with a merge patch)
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                Lease lease =
                    admin.leases().inNamespace(NS).withName(OperatorSettings.LEASE_NAME).get();
                return lease
                    .getSpec()
                    .getRenewTime()
                    .isAfter(lease.getSpec().getAcquireTime().plusSeconds(1));
              });

      // deletion: the agent releases, the operator removes its finalizer, then the now unneeded
      // DaemonSet
      admin.resources(VirtualIP.class).withName(VIP).delete();
      report(agent, NodeState.RELEASED.name());
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> admin.resources(VirtualIP.class).withName(VIP).get() == null);
      await().atMost(Duration.ofSeconds(60)).until(() -> daemonSet(admin) == null);

      assertThat(process.isAlive()).isTrue();
      assertThat(Files.readAllLines(dir.resolve("operator.log")))
          .as("no request of the operator was refused")
          .noneMatch(
              l -> l.contains("Forbidden") || l.contains("forbidden") || l.contains(" 403 "));
    } finally {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      System.out.println(
          "---- operator.log\n"
              + String.join("\n", Files.readAllLines(dir.resolve("operator.log"))));
    }
  }

  /**
   * The Deployment's container as a local process: its command with the JVM of this test and the
   * jar the operator Dockerfile copies to that path, its environment with the downward API filled
   * in and the HTTP port moved to a free one on 127.0.0.1, and the impersonation of its service
   * account.
   */
  private Process start(Container container, int port) throws Exception {
    Dockerfile dockerfile = Dockerfile.read(Repo.file("operator/Dockerfile"));
    String workdir = dockerfile.workdir(dockerfile.stage("build"));
    Dockerfile.Copy jar =
        dockerfile.copies(dockerfile.finalStage()).stream()
            .filter(c -> "build".equals(c.from()))
            .findFirst()
            .orElseThrow();
    Path localJar = Repo.root().resolve(jar.sources().get(0).substring(workdir.length() + 1));
    assertThat(localJar).as("built by ./mvnw package").isRegularFile();

    List<String> command = new ArrayList<>();
    for (String word : container.getCommand()) {
      if (word.equals("java")) {
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      } else if (word.equals(jar.destination())) {
        command.add(localJar.toString());
      } else {
        command.add(word);
      }
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : container.getEnv()) {
      if (e.getValueFrom() != null) {
        String path = e.getValueFrom().getFieldRef().getFieldPath();
        env.put(
            e.getName(),
            switch (path) {
              case "metadata.namespace" -> NS;
              case "metadata.name" -> POD;
              default -> throw new AssertionError("no downward API value for " + path);
            });
      } else {
        env.put(e.getName(), e.getValue());
      }
    }
    assertThat(env.get("HTTP_ADDRESS"))
        .isEqualTo("0.0.0.0:" + container.getPorts().get(0).getContainerPort());
    env.put("HTTP_ADDRESS", "127.0.0.1:" + port);
    Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), CHART.kubeconfig());
    env.put("KUBECONFIG", kubeconfig.toString());
    // fabric8 reads these after the kubeconfig: every request carries Impersonate-User / -Group
    env.put("KUBERNETES_IMPERSONATE_USERNAME", InstalledChart.serviceAccountUser("vrrp-operator"));
    env.put(
        "KUBERNETES_IMPERSONATE_GROUP", String.join(",", InstalledChart.serviceAccountGroups()));

    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("operator.log").toFile());
    builder.environment().putAll(env);
    System.out.println("operator: " + String.join(" ", command));
    return builder.start();
  }

  private static void report(KubernetesClient agent, String state) {
    NodeStatus entry = new NodeStatus();
    entry.setName(NODE);
    entry.setState(state);
    entry.setPriority(250);
    entry.setEffectivePriority(250);
    entry.setHeartbeatTime(Instant.now().toString());
    entry.setLastTransitionTime(Instant.now().toString());
    NodeEntryPatch.apply(agent, NodeEntryPatch.fieldManager(NODE), VIP, entry);
  }

  private static DaemonSet daemonSet(KubernetesClient admin) {
    return admin.apps().daemonSets().inNamespace(NS).withName(AgentDaemonSet.NAME).get();
  }

  private static String value(Container container, String name) {
    return container.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow()
        .getValue();
  }

  private static int get(int port, String path) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    return response.statusCode();
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
