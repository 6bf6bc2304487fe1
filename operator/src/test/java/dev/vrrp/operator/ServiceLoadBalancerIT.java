package dev.vrrp.operator;

import static dev.vrrp.operator.Cluster.node;
import static dev.vrrp.operator.Cluster.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vrrp.api.v1alpha1.LoadBalancers;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPPool;
import dev.vrrp.api.v1alpha1.VirtualIPPoolSpec;
import dev.vrrp.lab.SharedApiServer;
import dev.vrrp.operator.services.ServiceVirtualIps;
import dev.vrrp.operator.services.TestServices;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * LoadBalancer Services on a real kube-apiserver: the operator hands out addresses from a pool as
 * VirtualIPs, writes the Service's ingress once a node reports MASTER, tells a Service that waits
 * why, leaves Services of other classes alone, releases addresses, and a restarted operator keeps
 * every Service's address. The tests write agent entries themselves (no kubelets here).
 */
@Tag("integration")
class ServiceLoadBalancerIT {
  static final String NAMESPACE = "vrrp-lb";
  static final String APPS = "lb-apps";
  static final String GROUP = "lb-it";
  @RegisterExtension static final SharedApiServer API = new SharedApiServer();
  static KubernetesClient client;
  static VirtualIpOperator operator;

  @BeforeAll
  static void start() {
    client = API.client();
    Cluster.installCrd(client);
    Cluster.createNamespace(client, NAMESPACE);
    Cluster.createNamespace(client, APPS);
    Cluster.createNamespace(client, "default");
    node(client, "lb-node-1", "group", GROUP);
    node(client, "lb-node-2", "group", GROUP);
    VirtualIPPool pool = new VirtualIPPool();
    pool.getMetadata().setName("lb-it");
    VirtualIPPoolSpec spec = new VirtualIPPoolSpec();
    spec.setAddresses(new ArrayList<>(List.of("203.0.113.10-203.0.113.12")));
    spec.setNodeSelector(Map.of("group", GROUP));
    spec.setAdvertisementInterval("100ms");
    pool.setSpec(spec);
    client.resource(pool).create();
    operator = startOperator("lb-it-1");
  }

  static VirtualIpOperator startOperator(String identity) {
    VirtualIpOperator started = startStandby(identity);
    await().atMost(Duration.ofSeconds(30)).until(started::leading);
    return started;
  }

  /** An operator replica, started; it leads once the Lease is free. */
  static VirtualIpOperator startStandby(String identity) {
    OperatorSettings settings =
        OperatorSettings.defaults(NAMESPACE)
            .withIdentity(identity)
            .withReleaseTimeout(Duration.ofSeconds(3))
            .withExitOnLostLeadership(false);
    VirtualIpOperator started =
        new VirtualIpOperator(client, settings, new SimpleMeterRegistry(), Clock.systemUTC());
    started.start();
    return started;
  }

  @AfterAll
  static void cleanUp() {
    client.services().inNamespace(APPS).delete();
    // the operator gives their addresses up; then the pool goes, so later test classes see neither
    eventually().atMost(Duration.ofSeconds(60)).until(() -> lbVirtualIps().isEmpty());
    client.resources(VirtualIPPool.class).withName("lb-it").delete();
    if (operator != null) {
      operator.close();
    }
  }

  private static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
  }

  private static List<VirtualIP> lbVirtualIps() {
    return client.resources(VirtualIP.class).list().getItems().stream()
        .filter(v -> !ServiceVirtualIps.services(v).isEmpty())
        .toList();
  }

  private static Service create(String name, String cls, String... annotations) {
    return client.resource(builder(name, cls, annotations).build()).create();
  }

  /** Of class {@code cls}, selecting the pods labelled app={@code name}. */
  private static ServiceBuilder builder(String name, String cls, String... annotations) {
    return TestServices.ours(APPS, name, annotations)
        .editMetadata()
        .withUid(null) // the API server's to give
        .endMetadata()
        .editSpec()
        .withLoadBalancerClass(cls)
        .withSelector(Map.of("app", name))
        .endSpec();
  }

  private static Service service(String name) {
    return client.services().inNamespace(APPS).withName(name).get();
  }

  private static List<String> ingress(String name) {
    Service s = service(name);
    if (s == null || s.getStatus() == null || s.getStatus().getLoadBalancer() == null) {
      return List.of();
    }
    return s.getStatus().getLoadBalancer().getIngress().stream()
        .map(i -> i.getIp() + "/" + i.getIpMode())
        .toList();
  }

  private static VirtualIP vipOf(String service) {
    return lbVirtualIps().stream()
        .filter(v -> ServiceVirtualIps.services(v).contains(APPS + "/" + service))
        .findFirst()
        .orElse(null);
  }

  private static List<Event> events(String service, String reason) {
    return client.v1().events().inNamespace(APPS).list().getItems().stream()
        .filter(e -> service.equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  @Test
  void aServiceGetsAnAddressAsAVirtualIpAndItsIngressOnceANodeIsMaster() {
    long started = System.nanoTime();
    create("web", LoadBalancers.CLASS);
    VirtualIP vip = eventually().until(() -> vipOf("web"), v -> v != null);
    String address = vip.getSpec().getAddresses().get(0);
    assertThat(address).startsWith("203.0.113.");
    assertThat(vip.getMetadata().getName()).isEqualTo("lb-" + address.replace('.', '-'));
    assertThat(vip.getMetadata().getLabels())
        .containsEntry(LoadBalancers.SERVICE_NAMESPACE_LABEL, APPS)
        .containsEntry(LoadBalancers.SERVICE_NAME_LABEL, "web")
        .containsEntry(LoadBalancers.POOL_LABEL, "lb-it");
    assertThat(vip.getSpec().getAdvertisementInterval())
        .as("the pool's settings")
        .isEqualTo("100ms");
    assertThat(ingress("web")).as("no node is master yet").isEmpty();
    eventually().until(() -> !events("web", "AddressAssigned").isEmpty());

    // an agent reports MASTER: the VirtualIP's status.master, then the Service's ingress
    eventually()
        .until(
            () -> client.resources(VirtualIP.class).withName(vip.getMetadata().getName()).get(),
            v -> v.getStatus() != null && !v.getStatus().getPriorities().isEmpty());
    Instant now = Instant.now();
    report(client, vip.getMetadata().getName(), "lb-node-1", "MASTER", now, now);
    eventually().until(() -> ingress("web"), i -> i.equals(List.of(address + "/VIP")));
    System.out.printf(
        "lb: ingress of a new Service %.2f s after its creation (the agent's report included)%n",
        (System.nanoTime() - started) / 1e9);
    deleteAndWait(List.of("web"));
    assertThat(ingress("web")).isEmpty();
  }

  @Test
  void servicesOfAnotherClassOrWithoutOneAreNeverTouched() throws InterruptedException {
    create("other", "example.com/lb");
    create("classless", null);
    Thread.sleep(3000);
    assertThat(vipOf("other")).isNull();
    assertThat(vipOf("classless")).as("services.defaultClass is off").isNull();
    assertThat(service("other").getStatus().getLoadBalancer().getIngress()).isEmpty();
    assertThat(events("other", "AddressPending")).isEmpty();
  }

  @Test
  void anExplicitAddressIsHonouredAndOneOutsideThePoolsIsExplained() {
    create("pinned", LoadBalancers.CLASS, LoadBalancers.ADDRESSES_ANNOTATION, "203.0.113.12");
    VirtualIP vip = eventually().until(() -> vipOf("pinned"), v -> v != null);
    assertThat(vip.getSpec().getAddresses()).containsExactly("203.0.113.12");

    create("outside", LoadBalancers.CLASS, LoadBalancers.ADDRESSES_ANNOTATION, "198.51.100.99");
    Event pending =
        eventually().until(() -> events("outside", "AddressPending"), e -> !e.isEmpty()).get(0);
    assertThat(pending.getType()).isEqualTo("Warning");
    assertThat(pending.getMessage())
        .contains("198.51.100.99 is in no pool that admits this Service");
    assertThat(vipOf("outside")).isNull();
    deleteAndWait(List.of("outside", "pinned"));
  }

  @Test
  void exhaustionWaitsWithAReasonAndAReleasedAddressGoesToTheWaitingService() {
    List<String> four = List.of("ex-1", "ex-2", "ex-3", "ex-4");
    four.forEach(s -> create(s, LoadBalancers.CLASS));
    // the pool has three addresses: three Services get one, the fourth waits and is told why
    List<String> waiting =
        eventually()
            .until(
                () -> four.stream().filter(s -> vipOf(s) == null).toList(),
                w -> w.size() == 1 && !events(w.get(0), "AddressPending").isEmpty());
    String last = waiting.get(0);
    Event pending = events(last, "AddressPending").get(0);
    assertThat(pending.getType()).isEqualTo("Warning");
    assertThat(pending.getMessage()).contains("no IPv4 address left in pool lb-it");
    // the pool says so too
    VirtualIPPool full =
        eventually()
            .until(
                () -> client.resources(VirtualIPPool.class).withName("lb-it").get(),
                p -> p.getStatus() != null && "0".equals(p.getStatus().getAvailable()));
    assertThat(full.getStatus().getTotal()).isEqualTo("3");
    assertThat(full.getStatus().getAssigned()).isEqualTo("3");
    assertThat(full.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Exhausted");
              assertThat(c.getStatus()).isEqualTo("True");
            });
    String holder = four.stream().filter(s -> !s.equals(last)).findFirst().orElseThrow();
    String freed = vipOf(holder).getSpec().getAddresses().get(0);

    // changing a Service's type gives its address up: the VirtualIP goes (after its release), and
    // the waiting Service gets the address as soon as it is free (the VirtualIP's deletion wakes
    // it)
    client
        .services()
        .inNamespace(APPS)
        .withName(holder)
        .edit(
            s -> {
              s.getSpec().setType("ClusterIP");
              s.getSpec().setLoadBalancerClass(null);
              return s;
            });
    eventually().atMost(Duration.ofSeconds(40)).until(() -> vipOf(holder) == null);
    long freedAt = System.nanoTime();
    VirtualIP taken =
        eventually().atMost(Duration.ofSeconds(40)).until(() -> vipOf(last), v -> v != null);
    assertThat(taken.getSpec().getAddresses()).containsExactly(freed);
    System.out.printf(
        "lb: the waiting Service got the freed address %.2f s after the old VirtualIP went%n",
        (System.nanoTime() - freedAt) / 1e9);
    deleteAndWait(four);
  }

  private static void deleteAndWait(List<String> services) {
    services.forEach(s -> client.services().inNamespace(APPS).withName(s).delete());
    eventually()
        .atMost(Duration.ofSeconds(40))
        .until(() -> services.stream().allMatch(s -> vipOf(s) == null));
  }

  @Test
  void aRestartedOperatorKeepsEveryAddressAndCreatesNothingNew() {
    create("keep-a", LoadBalancers.CLASS);
    create("keep-b", LoadBalancers.CLASS);
    eventually().until(() -> vipOf("keep-a") != null && vipOf("keep-b") != null);
    Map<String, String> before = addresses();

    operator.close();
    operator = startOperator("lb-it-2");
    // a few reconciles later nothing moved
    await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
    assertThat(addresses()).isEqualTo(before);
    assertThat(
            lbVirtualIps().stream().map(v -> v.getMetadata().getUid()).collect(Collectors.toSet()))
        .hasSize(before.size());
    deleteAndWait(List.of("keep-a", "keep-b"));
  }

  /** Service → address, from the VirtualIPs. */
  private static Map<String, String> addresses() {
    return lbVirtualIps().stream()
        .collect(
            Collectors.toMap(
                v -> String.join(",", ServiceVirtualIps.services(v)),
                v -> v.getSpec().getAddresses().get(0)));
  }

  /** The Service's one EndpointSlice, with one endpoint on {@code node} (none when null). */
  private static void endpointOn(String service, String node) {
    EndpointSliceBuilder b =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withNamespace(APPS)
            .withName(service + "-slice")
            .addToLabels("kubernetes.io/service-name", service)
            .endMetadata()
            .withAddressType("IPv4")
            .addNewPort()
            .withName("")
            .withProtocol("TCP")
            .withPort(8080)
            .endPort();
    if (node != null) {
      b.addNewEndpoint()
          .withAddresses("198.18.1.10")
          .withNodeName(node)
          .withNewConditions()
          .withReady(true)
          .endConditions()
          .endEndpoint();
    }
    client.resource(b.build()).serverSideApply();
  }

  private static VirtualIP vipNamed(String name) {
    return client.resources(VirtualIP.class).withName(name).get();
  }

  @Test
  void aLocalServiceIsHeldOnlyWhereItsEndpointsAreAndTheMasterHandsOverWhenThePodMoves() {
    client
        .resource(
            builder("local", LoadBalancers.CLASS)
                .editSpec()
                .withExternalTrafficPolicy(LoadBalancers.LOCAL_TRAFFIC_POLICY)
                .endSpec()
                .build())
        .create();
    // no endpoint yet: the address is the Service's, on no node, and the Service is told why
    String name = eventually().until(() -> vipOf("local"), v -> v != null).getMetadata().getName();
    assertThat(vipNamed(name).getSpec().getNodeNames()).isEmpty();
    Event none =
        eventually().until(() -> events("local", "NoReadyEndpoints"), e -> !e.isEmpty()).get(0);
    assertThat(none.getType()).isEqualTo("Warning");
    assertThat(none.getMessage())
        .contains("no node holds " + vipNamed(name).getSpec().getAddresses().get(0));

    endpointOn("local", "lb-node-1");
    eventually()
        .until(
            () -> vipNamed(name),
            v ->
                List.of("lb-node-1").equals(v.getSpec().getNodeNames())
                    && v.getStatus().getPriorities().stream()
                        .map(p -> p.getNode())
                        .toList()
                        .equals(List.of("lb-node-1")));
    Instant now = Instant.now();
    report(client, name, "lb-node-1", "MASTER", now, now);
    eventually().until(() -> ingress("local"), i -> i.size() == 1);

    // the pod moves: the master stays beside the new node until that reports BACKUP
    long moved = System.nanoTime();
    endpointOn("local", "lb-node-2");
    VirtualIP bridged =
        eventually()
            .until(
                () -> vipNamed(name),
                v ->
                    List.of("lb-node-1", "lb-node-2").equals(v.getSpec().getNodeNames())
                        && v.getStatus().getPriorities().size() == 2);
    assertThat(bridged.getMetadata().getAnnotations())
        .containsKey(LoadBalancers.HANDOVER_ANNOTATION);
    long bridgedAt = System.nanoTime();
    now = Instant.now();
    report(client, name, "lb-node-2", "BACKUP", now, now);
    VirtualIP after =
        eventually()
            .until(
                () -> vipNamed(name), v -> List.of("lb-node-2").equals(v.getSpec().getNodeNames()));
    assertThat(after.getMetadata().getAnnotations())
        .doesNotContainKey(LoadBalancers.HANDOVER_ANNOTATION);
    System.out.printf(
        "lb local: both nodes planned %.2f s after the endpoint moved; the old master dropped %.2f s"
            + " after the new node reported BACKUP%n",
        (bridgedAt - moved) / 1e9, (System.nanoTime() - bridgedAt) / 1e9);

    // the endpoint goes: no node may hold the address, which stays the Service's; told again
    endpointOn("local", null);
    eventually().until(() -> vipNamed(name), v -> v.getSpec().getNodeNames().isEmpty());
    eventually()
        .until(
            () -> events("local", "NoReadyEndpoints"),
            e -> e.stream().mapToInt(x -> x.getCount() == null ? 1 : x.getCount()).sum() >= 2);
    assertThat(vipOf("local")).isNotNull();
    client.resources(EndpointSlice.class).inNamespace(APPS).withName("local-slice").delete();
    deleteAndWait(List.of("local"));
  }

  @Test
  void servicesCreatedAtOnceWhileTheLeaderStopsGetOneAddressEachAndKeepIt() throws Exception {
    VirtualIPPool burst = new VirtualIPPool();
    burst.getMetadata().setName("lb-burst");
    VirtualIPPoolSpec spec = new VirtualIPPoolSpec();
    spec.setAddresses(new ArrayList<>(List.of("198.51.100.0/26")));
    spec.setAutoAssign(false); // only Services naming it: the other tests' pool stays the only one
    spec.setNodeSelector(Map.of("group", GROUP));
    burst.setSpec(spec);
    client.resource(burst).create();
    VirtualIpOperator standby = startStandby("lb-it-standby");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      names.add(String.format("burst-%02d", i));
    }
    ExecutorService creating = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> created = new ArrayList<>();
      CompletableFuture<Void> stopping = null;
      String leaderName = leaseHolder();
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        created.add(
            creating.submit(
                () ->
                    create(name, LoadBalancers.CLASS, LoadBalancers.POOL_ANNOTATION, "lb-burst")));
        if (i == names.size() / 2) {
          // the leader stops once it has handed out some addresses, the rest are the next one's
          eventually().until(() -> names.stream().filter(n -> vipOf(n) != null).count() >= 4);
          VirtualIpOperator leader = operator;
          stopping = CompletableFuture.runAsync(leader::close);
        }
      }
      for (Future<?> f : created) {
        f.get(30, TimeUnit.SECONDS);
      }
      stopping.get(60, TimeUnit.SECONDS);
      // a replica that stops gives the Lease up (else the standby waits out its 8 s)
      assertThat(leaseHolder()).isNotEqualTo(leaderName);
    } finally {
      creating.shutdownNow();
      operator = standby; // cleaned up with the others
    }
    await().atMost(Duration.ofSeconds(60)).until(standby::leading);
    eventually()
        .atMost(Duration.ofSeconds(60))
        .until(() -> names.stream().allMatch(n -> vipOf(n) != null));

    // one VirtualIP per Service, every address once, and a few reconciles later still the same
    Map<String, String> first = burstAddresses(names);
    assertThat(first).hasSize(names.size());
    assertThat(new HashSet<>(first.values())).as("no address twice").hasSize(names.size());
    Map<String, String> uids = burstUids(names);
    await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
    assertThat(burstAddresses(names)).isEqualTo(first);
    assertThat(burstUids(names)).as("no VirtualIP recreated").isEqualTo(uids);
    deleteAndWait(names);
    client.resource(burst).delete();
  }

  private static String leaseHolder() {
    var lease = client.leases().inNamespace(NAMESPACE).withName(OperatorSettings.LEASE_NAME).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  /** Service → its address, failing when a Service has more than one VirtualIP. */
  private static Map<String, String> burstAddresses(List<String> names) {
    Map<String, String> out = new TreeMap<>();
    for (VirtualIP vip : lbVirtualIps()) {
      for (String user : ServiceVirtualIps.services(vip)) {
        String name = user.substring(user.indexOf('/') + 1);
        if (names.contains(name)) {
          String before = out.put(name, vip.getSpec().getAddresses().get(0));
          assertThat(before).as("%s has one VirtualIP", name).isNull();
        }
      }
    }
    return out;
  }

  private static Map<String, String> burstUids(List<String> names) {
    return lbVirtualIps().stream()
        .filter(
            v ->
                ServiceVirtualIps.services(v).stream()
                    .anyMatch(u -> names.contains(u.substring(u.indexOf('/') + 1))))
        .collect(Collectors.toMap(v -> v.getMetadata().getName(), v -> v.getMetadata().getUid()));
  }

  @Test
  void aRefusedWriteIsExplainedOnTheServiceWithTheApiServersAnswer() throws Exception {
    // the API server refuses this pool's VirtualIPs (an admission policy, as a cluster's own
    // rules might)
    String policy =
        """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: lb-it-refuse}
        spec:
          failurePolicy: Fail
          matchConstraints:
            resourceRules:
              - {apiGroups: [vrrp.dev], apiVersions: ["*"], operations: [CREATE], resources: [virtualips]}
          validations:
            - expression: "!has(object.metadata.labels) || !('vrrp.dev/pool' in object.metadata.labels) || object.metadata.labels['vrrp.dev/pool'] != 'lb-refused'"
              message: "VirtualIPs of pool lb-refused are not allowed here"
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: lb-it-refuse}
        spec:
          policyName: lb-it-refuse
          validationActions: [Deny]
        """;
    var objects =
        client.load(new ByteArrayInputStream(policy.getBytes(StandardCharsets.UTF_8))).items();
    objects.forEach(o -> client.resource(o).create());
    VirtualIPPool refused = new VirtualIPPool();
    refused.getMetadata().setName("lb-refused");
    VirtualIPPoolSpec spec = new VirtualIPPoolSpec();
    spec.setAddresses(new ArrayList<>(List.of("198.51.100.100-198.51.100.101")));
    spec.setAutoAssign(false);
    refused.setSpec(spec);
    client.resource(refused).create();
    try {
      // the policy takes a moment to be in force: until then a VirtualIP may be created
      await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
      create("refused", LoadBalancers.CLASS, LoadBalancers.POOL_ANNOTATION, "lb-refused");
      Event failed =
          eventually()
              .until(() -> events("refused", "LoadBalancerFailed"), e -> !e.isEmpty())
              .get(0);
      assertThat(failed.getType()).isEqualTo("Warning");
      assertThat(failed.getMessage())
          .startsWith("retrying: ")
          .contains("VirtualIPs of pool lb-refused are not allowed here");
      assertThat(vipOf("refused")).isNull();
    } finally {
      objects.forEach(o -> client.resource(o).delete());
      client.services().inNamespace(APPS).withName("refused").delete();
      eventually().atMost(Duration.ofSeconds(40)).until(() -> vipOf("refused") == null);
      client.resource(refused).delete();
    }
  }
}
