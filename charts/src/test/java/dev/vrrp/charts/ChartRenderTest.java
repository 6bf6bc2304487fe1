package dev.vrrp.charts;

import static dev.vrrp.charts.Chart.Rule.rule;
import static dev.vrrp.charts.Chart.one;
import static dev.vrrp.charts.Chart.rules;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.vrrp.api.AgentDefaults;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.operator.OperatorSettings;
import dev.vrrp.operator.agents.AgentDaemonSet;
import dev.vrrp.operator.plan.VridRange;
import dev.vrrp.operator.status.KubernetesEventRecorder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * {@code helm template} with the defaults and with every value changed: what the cluster would get.
 */
class ChartRenderTest {
  static final String NS = Chart.NAMESPACE;
  static final String EVENTS_NS = KubernetesEventRecorder.NAMESPACE;
  static final String OPERATOR = "vrrp-operator";
  static final String AGENT = AgentDaemonSet.SERVICE_ACCOUNT;

  /** The CRD's API group and resource, as RBAC must name them. */
  static final String GROUP = HasMetadata.getGroup(VirtualIP.class);

  static final String VIPS = HasMetadata.getPlural(VirtualIP.class);

  static final List<HasMetadata> DEFAULTS = Chart.render("");

  static final String CUSTOM_VALUES =
      """
      operator:
        replicas: 3
        image: {repository: registry.example/vrrp/operator, tag: 0.2.0-rc.1, pullPolicy: Always}
        logLevel: debug
        virtualRouterIds: 50-255
        resources:
          requests: {cpu: 250m, memory: 300Mi}
          limits: {cpu: "1", memory: 1Gi}
        nodeSelector: {node-role.kubernetes.io/control-plane: ""}
        tolerations:
          - {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}
        unreachableTolerationSeconds: 60
        podAnnotations: {example.com/team: network}
      agent:
        image: {repository: registry.example/vrrp/node-agent, tag: 0.2.0-rc.1}
        heartbeat: 5s
        terminationGracePeriod: 45s
        labelNamespace: false
        secrets: {names: [vrrp-password, vrrp-password-2]}
      services: {enabled: false, defaultClass: true}
      metrics: {enabled: false, port: 9090}
      imagePullSecrets: [{name: regcred}]
      """;

  @Test
  void defaultsInstallExactlyTheseObjects() {
    assertThat(DEFAULTS.stream().map(ChartRenderTest::id).toList())
        .containsExactlyInAnyOrder(
            "ServiceAccount vrrp-system/vrrp-operator",
            "ServiceAccount vrrp-system/vrrp-agent",
            "ClusterRole vrrp-operator",
            "ClusterRoleBinding vrrp-operator",
            "Role vrrp-system/vrrp-operator",
            "RoleBinding vrrp-system/vrrp-operator",
            "Role default/vrrp-operator-events",
            "RoleBinding default/vrrp-operator-events",
            "ClusterRole vrrp-agent",
            "ClusterRoleBinding vrrp-agent",
            "Role vrrp-system/vrrp-agent",
            "RoleBinding vrrp-system/vrrp-agent",
            "Role default/vrrp-agent-events",
            "RoleBinding default/vrrp-agent-events",
            "Service vrrp-system/vrrp-operator-metrics",
            "Deployment vrrp-system/vrrp-operator");
  }

  @Test
  void theMonitorsScrapeTheOperatorsServiceAndTheAgentsAdminPort() {
    List<HasMetadata> objects =
        Chart.render(
            """
            monitoring:
              serviceMonitor: {enabled: true, labels: {release: prom}}
              podMonitor: {enabled: true, interval: 15s}
              rules: {enabled: true}
            """);
    GenericKubernetesResource service = ofKind(objects, "ServiceMonitor");
    GenericKubernetesResource pods = ofKind(objects, "PodMonitor");
    assertThat(objects.stream().map(ChartRenderTest::id))
        .contains(
            "ServiceMonitor " + NS + "/" + OPERATOR,
            "PodMonitor " + NS + "/" + AgentDaemonSet.NAME,
            "PrometheusRule " + NS + "/" + OPERATOR);
    assertThat(pods.<Map<String, String>>get("spec", "selector", "matchLabels"))
        .as("the labels the operator puts on the agents' pods")
        .isEqualTo(AgentDaemonSet.SELECTOR_LABELS);
    assertThat(pods.<String>get("spec", "podMetricsEndpoints", 0, "port"))
        .isEqualTo(AgentDaemonSet.ADMIN_PORT_NAME);
    assertThat(pods.<String>get("spec", "podMetricsEndpoints", 0, "interval")).isEqualTo("15s");
    Service metrics = one(objects, Service.class, OPERATOR + "-metrics");
    assertThat(service.<Map<String, String>>get("spec", "selector", "matchLabels"))
        .isEqualTo(metrics.getSpec().getSelector());
    assertThat(service.<String>get("spec", "endpoints", 0, "port"))
        .isEqualTo(metrics.getSpec().getPorts().get(0).getName());
    assertThat(service.getMetadata().getLabels()).containsEntry("release", "prom");
  }

  @Test
  void everyObjectCarriesTheReleaseLabels() {
    assertThat(DEFAULTS)
        .allSatisfy(
            o ->
                assertThat(o.getMetadata().getLabels())
                    .contains(
                        Map.entry("app.kubernetes.io/instance", Chart.RELEASE),
                        Map.entry("app.kubernetes.io/part-of", AgentDaemonSet.PART_OF),
                        Map.entry("app.kubernetes.io/managed-by", "Helm"),
                        Map.entry("app.kubernetes.io/version", "0.1.0"),
                        Map.entry("helm.sh/chart", "vrrp-operator-0.1.0")));
  }

  @Test
  void deploymentRunsTwoHardenedReplicasAsTheOperatorsServiceAccount() {
    Deployment deployment = one(DEFAULTS, Deployment.class, OPERATOR);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().get(0);

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(pod.getServiceAccountName()).isEqualTo(OPERATOR);
    assertThat(pod.getContainers()).hasSize(1);
    PodSecurityContext podSecurity = pod.getSecurityContext();
    assertThat(podSecurity.getRunAsNonRoot()).isTrue();
    assertThat(podSecurity.getRunAsUser()).isEqualTo(65532L);
    assertThat(podSecurity.getRunAsGroup()).isEqualTo(65532L);
    assertThat(podSecurity.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    SecurityContext security = container.getSecurityContext();
    assertThat(security.getRunAsNonRoot()).isTrue();
    assertThat(security.getRunAsUser()).isEqualTo(65532L);
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getPrivileged()).isFalse();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    // the only writable place: an in-memory /tmp
    assertThat(container.getVolumeMounts())
        .singleElement()
        .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    assertThat(pod.getVolumes())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getEmptyDir().getMedium()).isEqualTo("Memory");
              assertThat(v.getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("16Mi"));
            });
    assertThat(pod.getHostNetwork()).isNull();
    assertThat(deployment.getSpec().getSelector().getMatchLabels())
        .isEqualTo(
            Map.of(
                "app.kubernetes.io/name",
                OPERATOR,
                "app.kubernetes.io/instance",
                Chart.RELEASE,
                "app.kubernetes.io/component",
                "operator"));
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void deploymentConfiguresTheOperatorThroughItsEnvironment() {
    Container container = operatorContainer(DEFAULTS);

    assertThat(container.getImage()).isEqualTo("ghcr.io/vrrp-dev/operator:0.1.0");
    assertThat(container.getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(container.getCommand())
        .containsExactly(
            "java",
            "-XX:MaxRAMPercentage=75.0",
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:TieredStopAtLevel=1",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
            "-jar",
            "/opt/vrrp/operator.jar");
    assertThat(env(container))
        .containsExactly(
            "OPERATOR_NAMESPACE=fieldRef:metadata.namespace",
            "POD_NAME=fieldRef:metadata.name",
            "OPERATOR_DEPLOYMENT=vrrp-operator",
            "LABEL_NAMESPACE=true",
            "AGENT_IMAGE=" + AgentDaemonSet.DEFAULT_IMAGE,
            "AGENT_HEARTBEAT=" + AgentDefaults.HEARTBEAT,
            "AGENT_GRACE_PERIOD=" + AgentDaemonSet.DEFAULT_GRACE_PERIOD,
            "VIRTUAL_ROUTER_IDS=" + VridRange.ALL_TEXT,
            "LOAD_BALANCERS=true",
            "LOAD_BALANCER_DEFAULT_CLASS=false",
            "HTTP_ADDRESS=0.0.0.0:8080");
    assertThat(container.getResources().getRequests())
        .isEqualTo(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("256Mi")));
    assertThat(container.getResources().getLimits())
        .isEqualTo(Map.of("memory", new Quantity("512Mi")));
  }

  private static List<Tuple> tolerations(PodSpec pod) {
    return pod.getTolerations().stream()
        .map(t -> tuple(t.getKey(), t.getOperator(), t.getEffect(), t.getTolerationSeconds()))
        .toList();
  }

  @Test
  void aReplicaOnADeadNodeIsReplacedAfter30sNotKubernetes300() {
    PodSpec pod = one(DEFAULTS, Deployment.class, OPERATOR).getSpec().getTemplate().getSpec();
    assertThat(tolerations(pod))
        .containsExactly(
            tuple("node.kubernetes.io/unreachable", "Exists", "NoExecute", 30L),
            tuple("node.kubernetes.io/not-ready", "Exists", "NoExecute", 30L));
  }

  @Test
  void probesAskHealthzOnPort8080AndMetricsAreScraped() {
    Deployment deployment = one(DEFAULTS, Deployment.class, OPERATOR);
    Container container = operatorContainer(DEFAULTS);

    assertThat(container.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("http");
              assertThat(p.getContainerPort()).isEqualTo(8080);
            });
    for (var probe :
        List.of(
            container.getLivenessProbe(),
            container.getReadinessProbe(),
            container.getStartupProbe())) {
      assertThat(probe.getHttpGet().getPath()).isEqualTo("/healthz");
      assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }
    assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
        .isEqualTo(
            Map.of(
                "prometheus.io/scrape",
                "true",
                "prometheus.io/port",
                "8080",
                "prometheus.io/path",
                "/metrics"));
    Service service = one(DEFAULTS, Service.class, "vrrp-operator-metrics");
    assertThat(service.getSpec().getSelector())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getPort()).isEqualTo(8080);
              assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
            });
  }

  @Test
  void operatorRbacIsExactlyWhatItsCodeCalls() {
    assertThat(rules(one(DEFAULTS, ClusterRole.class, OPERATOR).getRules()))
        .containsExactly(
            rule(GROUP, VIPS, "get", "list", "watch", "update", "patch"),
            rule(GROUP, VIPS + "/status", "get", "patch", "update"),
            rule(GROUP, VIPS + "/finalizers", "update"),
            rule("", "nodes", "get", "list", "watch"),
            rule("", "namespaces", "patch").named(NS),
            // services.enabled: the LoadBalancer Service controller
            rule("", "services", "get", "list", "watch"),
            rule("", "services/status", "patch"),
            rule("", "namespaces", "get", "list", "watch"),
            rule("discovery.k8s.io", "endpointslices", "get", "list", "watch"),
            rule(GROUP, "virtualippools", "get", "list", "watch"),
            rule(GROUP, "virtualippools/status", "patch"),
            rule(GROUP, VIPS, "create", "delete"),
            rule("", "events", "create"));
    assertThat(rules(one(DEFAULTS, Role.class, NS, OPERATOR).getRules()))
        .containsExactly(
            rule(
                "apps",
                "daemonsets",
                "create",
                "get",
                "list",
                "watch",
                "patch",
                "update",
                "delete"),
            rule("apps", "deployments", "get").named(OPERATOR),
            rule("coordination.k8s.io", "leases", "create"),
            rule("coordination.k8s.io", "leases", "get", "update", "patch")
                .named(OperatorSettings.LEASE_NAME));
    assertThat(rules(one(DEFAULTS, Role.class, EVENTS_NS, OPERATOR + "-events").getRules()))
        .containsExactly(rule("", "events", "create"));

    assertBound(
        one(DEFAULTS, ClusterRoleBinding.class, OPERATOR).getRoleRef().getKind(),
        one(DEFAULTS, ClusterRoleBinding.class, OPERATOR).getRoleRef().getName(),
        one(DEFAULTS, ClusterRoleBinding.class, OPERATOR).getSubjects(),
        "ClusterRole",
        OPERATOR,
        OPERATOR);
    RoleBinding binding = one(DEFAULTS, RoleBinding.class, NS, OPERATOR);
    assertBound(
        binding.getRoleRef().getKind(),
        binding.getRoleRef().getName(),
        binding.getSubjects(),
        "Role",
        OPERATOR,
        OPERATOR);
    RoleBinding events = one(DEFAULTS, RoleBinding.class, EVENTS_NS, OPERATOR + "-events");
    assertBound(
        events.getRoleRef().getKind(),
        events.getRoleRef().getName(),
        events.getSubjects(),
        "Role",
        OPERATOR + "-events",
        OPERATOR);
  }

  @Test
  void
      agentRbacReadsVirtualIpsAndNodesPatchesStatusCreatesEventsAndGetsSecretsInTheReleaseNamespaceOnly() {
    assertThat(rules(one(DEFAULTS, ClusterRole.class, AGENT).getRules()))
        .containsExactly(
            rule(GROUP, VIPS, "get", "list", "watch"),
            rule(GROUP, VIPS + "/status", "patch"),
            rule("", "nodes", "get", "list", "watch"));
    assertThat(rules(one(DEFAULTS, Role.class, NS, AGENT).getRules()))
        .containsExactly(rule("", "secrets", "get"));
    assertThat(rules(one(DEFAULTS, Role.class, EVENTS_NS, AGENT + "-events").getRules()))
        .containsExactly(rule("", "events", "create"));

    ClusterRoleBinding cluster = one(DEFAULTS, ClusterRoleBinding.class, AGENT);
    assertBound(
        cluster.getRoleRef().getKind(),
        cluster.getRoleRef().getName(),
        cluster.getSubjects(),
        "ClusterRole",
        AGENT,
        AGENT);
    RoleBinding secrets = one(DEFAULTS, RoleBinding.class, NS, AGENT);
    assertBound(
        secrets.getRoleRef().getKind(),
        secrets.getRoleRef().getName(),
        secrets.getSubjects(),
        "Role",
        AGENT,
        AGENT);
    RoleBinding events = one(DEFAULTS, RoleBinding.class, EVENTS_NS, AGENT + "-events");
    assertBound(
        events.getRoleRef().getKind(),
        events.getRoleRef().getName(),
        events.getSubjects(),
        "Role",
        AGENT + "-events",
        AGENT);
    // no other Role or ClusterRole mentions secrets
    assertThat(DEFAULTS)
        .filteredOn(o -> o instanceof ClusterRole)
        .flatMap(o -> ((ClusterRole) o).getRules())
        .noneMatch(r -> r.getResources().contains("secrets"));
  }

  @Test
  void serviceAccountsAreTheNamesTheOperatorUses() {
    assertThat(DEFAULTS)
        .filteredOn(o -> o instanceof ServiceAccount)
        .extracting(o -> o.getMetadata().getName())
        .containsExactlyInAnyOrder(OPERATOR, AgentDaemonSet.SERVICE_ACCOUNT);
    assertThat(DEFAULTS)
        .filteredOn(o -> o instanceof ServiceAccount)
        .allSatisfy(sa -> assertThat(((ServiceAccount) sa).getImagePullSecrets()).isNullOrEmpty());
  }

  @Test
  void everyValueReachesTheManifests() {
    List<HasMetadata> objects = Chart.render(CUSTOM_VALUES);
    Deployment deployment = one(objects, Deployment.class, OPERATOR);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container container = operatorContainer(objects);

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    assertThat(container.getImage()).isEqualTo("registry.example/vrrp/operator:0.2.0-rc.1");
    assertThat(container.getImagePullPolicy()).isEqualTo("Always");
    assertThat(container.getCommand())
        .contains("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug")
        .doesNotContain("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
    assertThat(env(container))
        .contains(
            "AGENT_IMAGE=registry.example/vrrp/node-agent:0.2.0-rc.1",
            "AGENT_HEARTBEAT=5s",
            "AGENT_GRACE_PERIOD=45s",
            "LABEL_NAMESPACE=false",
            "VIRTUAL_ROUTER_IDS=50-255",
            "LOAD_BALANCERS=false",
            "LOAD_BALANCER_DEFAULT_CLASS=true",
            "HTTP_ADDRESS=0.0.0.0:9090");
    assertThat(container.getResources().getRequests())
        .isEqualTo(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("300Mi")));
    assertThat(container.getResources().getLimits())
        .isEqualTo(Map.of("cpu", new Quantity("1"), "memory", new Quantity("1Gi")));
    assertThat(pod.getNodeSelector())
        .isEqualTo(Map.of("node-role.kubernetes.io/control-plane", ""));
    assertThat(tolerations(pod))
        .containsExactly(
            tuple("node.kubernetes.io/unreachable", "Exists", "NoExecute", 60L),
            tuple("node.kubernetes.io/not-ready", "Exists", "NoExecute", 60L),
            tuple("node-role.kubernetes.io/control-plane", "Exists", "NoSchedule", null));
    assertThat(pod.getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("regcred");
    assertThat(objects)
        .filteredOn(o -> o instanceof ServiceAccount)
        .allSatisfy(
            sa ->
                assertThat(((ServiceAccount) sa).getImagePullSecrets())
                    .extracting(r -> r.getName())
                    .containsExactly("regcred"));
    assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(9090);
    // metrics off: no Service, no scrape annotations; the probes still use the port
    assertThat(objects).noneMatch(o -> o instanceof Service);
    assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
        .isEqualTo(Map.of("example.com/team", "network"));
    assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    // the security settings do not depend on values
    assertThat(container.getSecurityContext())
        .isEqualTo(operatorContainer(DEFAULTS).getSecurityContext());
    assertThat(pod.getSecurityContext())
        .isEqualTo(
            one(DEFAULTS, Deployment.class, OPERATOR)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getSecurityContext());
    // RBAC neither, but for the agents' Secrets, narrowed to the named ones, no namespace patch
    // without agent.labelNamespace, and nothing of the Service controller without services.enabled
    Map<String, List<Chart.Rule>> expected = new TreeMap<>(rbac(DEFAULTS));
    expected.put(
        "Role vrrp-system/vrrp-agent",
        List.of(rule("", "secrets", "get").named("vrrp-password", "vrrp-password-2")));
    expected.put(
        "ClusterRole vrrp-operator",
        expected.get("ClusterRole vrrp-operator").stream()
            .filter(r -> !r.resources().contains("namespaces"))
            .filter(
                r ->
                    !r.resources().contains("services")
                        && !r.resources().contains("services/status"))
            .filter(r -> r.resources().stream().noneMatch(x -> x.startsWith("virtualippools")))
            .filter(r -> !r.resources().contains("events"))
            .filter(r -> !r.resources().contains("endpointslices"))
            .filter(r -> !(r.resources().contains(VIPS) && r.verbs().contains("create")))
            .toList());
    assertThat(rbac(objects)).isEqualTo(expected);
  }

  @Test
  void anotherNamespaceMovesTheNamespacedObjectsButNotTheEventRoles() {
    List<HasMetadata> objects = Chart.parse(Chart.template("lb", ""));

    assertThat(one(objects, Deployment.class, OPERATOR).getMetadata().getNamespace())
        .isEqualTo("lb");
    assertThat(one(objects, Role.class, "lb", AGENT).getRules()).isNotEmpty();
    assertThat(one(objects, RoleBinding.class, EVENTS_NS, OPERATOR + "-events").getSubjects())
        .extracting(Subject::getNamespace)
        .containsExactly("lb");
    assertThat(one(objects, ClusterRoleBinding.class, AGENT).getSubjects())
        .extracting(Subject::getNamespace)
        .containsExactly("lb");
  }

  static Container operatorContainer(List<HasMetadata> objects) {
    return one(objects, Deployment.class, OPERATOR)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0);
  }

  /** NAME=value, or NAME=fieldRef:path for the downward API. */
  static List<String> env(Container container) {
    return container.getEnv().stream().map(ChartRenderTest::env).toList();
  }

  private static String env(EnvVar e) {
    if (e.getValueFrom() != null) {
      return e.getName() + "=fieldRef:" + e.getValueFrom().getFieldRef().getFieldPath();
    }
    return e.getName() + "=" + e.getValue();
  }

  private static Map<String, List<Chart.Rule>> rbac(List<HasMetadata> objects) {
    TreeMap<String, List<Chart.Rule>> rules = new TreeMap<>();
    for (HasMetadata o : objects) {
      if (o instanceof ClusterRole role) {
        rules.put(id(o), rules(role.getRules()));
      } else if (o instanceof Role role) {
        rules.put(id(o), rules(role.getRules()));
      }
    }
    return rules;
  }

  private static void assertBound(
      String kind,
      String name,
      List<Subject> subjects,
      String expectedKind,
      String expectedRole,
      String serviceAccount) {
    assertThat(kind).isEqualTo(expectedKind);
    assertThat(name).isEqualTo(expectedRole);
    assertThat(subjects)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo(serviceAccount);
              assertThat(s.getNamespace()).isEqualTo(NS);
            });
  }

  /** The one object of a kind fabric8 has no type for (the Prometheus Operator's). */
  private static GenericKubernetesResource ofKind(List<HasMetadata> objects, String kind) {
    List<GenericKubernetesResource> found =
        objects.stream()
            .filter(o -> o.getKind().equals(kind))
            .map(GenericKubernetesResource.class::cast)
            .toList();
    assertThat(found).as(kind).hasSize(1);
    return found.get(0);
  }

  static String id(HasMetadata o) {
    String ns = o.getMetadata().getNamespace();
    return o.getKind() + " " + (ns == null ? "" : ns + "/") + o.getMetadata().getName();
  }
}
