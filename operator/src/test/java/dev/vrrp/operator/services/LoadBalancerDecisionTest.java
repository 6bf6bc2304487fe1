package dev.vrrp.operator.services;

import static dev.vrrp.operator.services.TestServices.labels;
import static dev.vrrp.operator.services.TestServices.ours;
import static dev.vrrp.operator.services.TestServices.pool;
import static dev.vrrp.operator.services.TestServices.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.text.IpLiteral;
import dev.vrrp.api.v1alpha1.LoadBalancers;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPPool;
import dev.vrrp.api.v1alpha1.VirtualIPStatus;
import dev.vrrp.api.vocabulary.Reason;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoadBalancerDecisionTest {
  private static final VirtualIPPool EDGE =
      pool("edge", "2026-01-01T00:00:00Z", "192.0.2.200-192.0.2.201");

  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  private static LoadBalancerDecision.Inputs inputs(List<VirtualIP> vips, Service... existing) {
    return inputs(vips, Map.of(), existing);
  }

  /** With {@code ready}: the nodes with a ready endpoint, by Service namespace/name. */
  private static LoadBalancerDecision.Inputs inputs(
      List<VirtualIP> vips, Map<String, Set<String>> ready, Service... existing) {
    List<Service> all = List.of(existing);
    return new LoadBalancerDecision.Inputs(
        PoolCatalog.of(List.of(EDGE)),
        labels(),
        vips,
        id -> all.stream().filter(s -> ServiceRequests.id(s).equals(id)).findFirst(),
        List.of(),
        id -> ready.getOrDefault(id, Set.of()),
        NOW);
  }

  private static VirtualIP vipFor(String address, String master, Service... users) {
    VirtualIP vip = ServiceVirtualIps.build(IpLiteral.parse(address), EDGE, List.of(users), null);
    vip.setStatus(new VirtualIPStatus());
    vip.getStatus().setMaster(master);
    return vip;
  }

  @Test
  void aNewServiceGetsTheLowestFreeAddressAsAVirtualIpAndIsToldSo() {
    Service web = service("ns", "web");
    LoadBalancerDecision d = LoadBalancerDecision.decide(web, false, inputs(List.of(), web));

    assertThat(d.create())
        .extracting(v -> v.getSpec().getAddresses())
        .containsExactly(List.of("192.0.2.200"));
    assertThat(d.join()).isEmpty();
    assertThat(d.leave()).isEmpty();
    assertThat(d.ingress()).as("no node is master yet").isEmpty();
    assertThat(d.writeIngress()).isTrue();
    assertThat(d.notice())
        .hasValueSatisfying(
            n -> {
              assertThat(n.reason()).isEqualTo(Reason.ADDRESS_ASSIGNED);
              assertThat(n.message()).isEqualTo("assigned 192.0.2.200 (VirtualIP lb-192-0-2-200)");
            });
  }

  @Test
  void onceANodeIsMasterTheIngressNamesTheAddressAndNothingElseChanges() {
    Service web = service("ns", "web");
    VirtualIP vip = vipFor("192.0.2.200", "node-a", web);
    LoadBalancerDecision d = LoadBalancerDecision.decide(web, false, inputs(List.of(vip), web));

    assertThat(d.create()).isEmpty();
    assertThat(d.leave()).isEmpty();
    assertThat(d.notice()).isEmpty();
    assertThat(d.ingress())
        .extracting(LoadBalancerIngress::getIp, LoadBalancerIngress::getIpMode)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("192.0.2.200", "VIP"));
  }

  @Test
  void aServiceThatIsNoLongerOursGivesItsAddressUpAndItsIngressIsCleared() {
    Service before = service("ns", "web");
    Service after =
        ours("ns", "web").editSpec().withLoadBalancerClass("metallb.io/l2").endSpec().build();
    VirtualIP vip = vipFor("192.0.2.200", "node-a", before);
    LoadBalancerDecision d = LoadBalancerDecision.decide(after, false, inputs(List.of(vip), after));

    assertThat(d.leave()).containsExactly("lb-192-0-2-200");
    assertThat(d.ingress()).isEmpty();
    assertThat(d.writeIngress()).isTrue();
  }

  @Test
  void aServiceOfAnotherClassIsNeverTouched() {
    Service other =
        ours("ns", "web").editSpec().withLoadBalancerClass("metallb.io/l2").endSpec().build();
    LoadBalancerDecision d = LoadBalancerDecision.decide(other, false, inputs(List.of(), other));

    assertThat(d.create()).isEmpty();
    assertThat(d.leave()).isEmpty();
    assertThat(d.writeIngress()).as("its status belongs to another controller").isFalse();
    assertThat(d.notice()).isEmpty();
  }

  @Test
  void whenThePoolIsExhaustedTheServiceWaitsAndIsToldWhy() {
    Service a = service("ns", "a");
    Service b = service("ns", "b");
    Service c = service("ns", "c");
    List<VirtualIP> vips =
        List.of(vipFor("192.0.2.200", "node-a", a), vipFor("192.0.2.201", "node-a", b));
    LoadBalancerDecision d = LoadBalancerDecision.decide(c, false, inputs(vips, a, b, c));

    assertThat(d.create()).isEmpty();
    assertThat(d.notice())
        .hasValueSatisfying(
            n -> {
              assertThat(n.reason()).isEqualTo(Reason.ADDRESS_PENDING);
              assertThat(n.message())
                  .isEqualTo("no address for the Service: no IPv4 address left in pool edge");
            });
  }

  @Test
  void aBadAnnotationKeepsWhatTheServiceHasAndSaysWhich() {
    Service web = service("ns", "web", LoadBalancers.ADDRESSES_ANNOTATION, "192.0.2.x");
    VirtualIP vip = vipFor("192.0.2.200", "node-a", web);
    LoadBalancerDecision d = LoadBalancerDecision.decide(web, false, inputs(List.of(vip), web));

    assertThat(d.leave()).isEmpty();
    assertThat(d.ingress()).hasSize(1);
    assertThat(d.notice())
        .hasValueSatisfying(
            n -> {
              assertThat(n.reason()).isEqualTo(Reason.INVALID_ANNOTATION);
              assertThat(n.message())
                  .contains("metadata.annotations[vrrp.dev/addresses]", "192.0.2.x");
            });
  }

  @Test
  void aServiceWithTheSameSharingKeyAndOtherPortsJoinsTheAddress() {
    Service http = service("ns", "http", LoadBalancers.SHARED_IP_ANNOTATION, "k");
    Service dns =
        ours("ns", "dns", LoadBalancers.SHARED_IP_ANNOTATION, "k")
            .editSpec()
            .editFirstPort()
            .withProtocol("UDP")
            .withPort(53)
            .endPort()
            .endSpec()
            .build();
    VirtualIP vip = vipFor("192.0.2.200", "node-a", http);
    LoadBalancerDecision d =
        LoadBalancerDecision.decide(dns, false, inputs(List.of(vip), http, dns));

    assertThat(d.create()).isEmpty();
    assertThat(d.join()).containsExactly("lb-192-0-2-200");
    assertThat(d.ingress()).extracting(LoadBalancerIngress::getIp).containsExactly("192.0.2.200");
  }

  @Test
  void aServiceKeepsTheAddressItHoldsThoughALowerOneIsFree() {
    // its VirtualIP is the record of what it holds: a restart or a new leader keeps it
    Service web = service("ns", "web");
    VirtualIP vip = vipFor("192.0.2.201", "node-a", web);
    LoadBalancerDecision d = LoadBalancerDecision.decide(web, false, inputs(List.of(vip), web));
    assertThat(d.create()).isEmpty();
    assertThat(d.leave()).isEmpty();
    assertThat(Optional.of(d.ingress().get(0).getIp())).contains("192.0.2.201");
  }

  private static Service local(String namespace, String name, String... annotations) {
    return ours(namespace, name, annotations)
        .editSpec()
        .withExternalTrafficPolicy(LoadBalancers.LOCAL_TRAFFIC_POLICY)
        .addToSelector("app", name)
        .endSpec()
        .build();
  }

  @Test
  void aLocalServiceGetsAVirtualIpOnlyOnTheNodesWithAReadyEndpoint() {
    Service web = local("ns", "web");
    LoadBalancerDecision d =
        LoadBalancerDecision.decide(
            web, false, inputs(List.of(), Map.of("ns/web", Set.of("node-b", "node-a")), web));
    assertThat(d.create())
        .extracting(v -> v.getSpec().getNodeNames())
        .containsExactly(List.of("node-a", "node-b"));

    Service cluster = service("ns", "api");
    assertThat(LoadBalancerDecision.decide(cluster, false, inputs(List.of(), cluster)).create())
        .extracting(v -> v.getSpec().getNodeNames())
        .as("Cluster: every node the pool selects")
        .containsOnlyNulls();
  }

  @Test
  void aLocalServiceWithoutReadyEndpointsKeepsItsAddressOnNoNodeAndIsToldWhy() {
    Service web = local("ns", "web");
    VirtualIP vip = vipFor("192.0.2.200", "node-a", web);
    vip.getSpec().setNodeNames(new ArrayList<>(List.of("node-a")));
    LoadBalancerDecision d =
        LoadBalancerDecision.decide(web, false, inputs(List.of(vip), Map.of(), web));

    assertThat(d.leave()).as("the address stays the Service's").isEmpty();
    assertThat(d.nodes())
        .containsExactly(
            new LoadBalancerDecision.NodesChange(
                "lb-192-0-2-200", new NodeHandover.Step(List.of(), null)));
    assertThat(d.notice())
        .hasValueSatisfying(
            n -> {
              assertThat(n.reason()).isEqualTo(Reason.NO_READY_ENDPOINTS);
              assertThat(n.message()).contains("no node holds 192.0.2.200");
            });
  }

  @Test
  void whenThePodMovesTheMasterStaysUntilTheNewNodeReportsAndTheServiceIsLookedAtAgainSoon() {
    Service web = local("ns", "web");
    VirtualIP vip = vipFor("192.0.2.200", "node-a", web);
    vip.getSpec().setNodeNames(new ArrayList<>(List.of("node-a")));
    LoadBalancerDecision d =
        LoadBalancerDecision.decide(
            web, false, inputs(List.of(vip), Map.of("ns/web", Set.of("node-b")), web));

    assertThat(d.nodes())
        .containsExactly(
            new LoadBalancerDecision.NodesChange(
                "lb-192-0-2-200", new NodeHandover.Step(List.of("node-a", "node-b"), NOW)));
    assertThat(d.handingOver()).isTrue();
    assertThat(d.notice()).isEmpty();
  }

  @Test
  void localServicesSharingAnAddressUseTheNodesOfEitherSEndpoints() {
    Service http = local("ns", "http", LoadBalancers.SHARED_IP_ANNOTATION, "k");
    Service dns =
        new ServiceBuilder(local("ns", "dns", LoadBalancers.SHARED_IP_ANNOTATION, "k"))
            .editSpec()
            .withSelector(Map.of("app", "http"))
            .editFirstPort()
            .withProtocol("UDP")
            .withPort(53)
            .endPort()
            .endSpec()
            .build();
    VirtualIP vip = vipFor("192.0.2.200", "node-a", http);
    vip.getSpec().setNodeNames(new ArrayList<>(List.of("node-a")));
    LoadBalancerDecision d =
        LoadBalancerDecision.decide(
            dns,
            false,
            inputs(
                List.of(vip),
                Map.of("ns/http", Set.of("node-a"), "ns/dns", Set.of("node-c")),
                http,
                dns));

    assertThat(d.join()).containsExactly("lb-192-0-2-200");
    assertThat(d.nodes())
        .extracting(c -> c.step().nodeNames())
        .containsExactly(List.of("node-a", "node-c"));
  }
}
