package dev.vrrp.operator.services;

import static dev.vrrp.operator.services.TestServices.pool;
import static dev.vrrp.operator.services.TestServices.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.text.IpLiteral;
import dev.vrrp.api.v1alpha1.LoadBalancers;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPPool;
import dev.vrrp.api.v1alpha1.VirtualIPSpec;
import dev.vrrp.operator.services.AddressAllocator.Holding;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceVirtualIpsTest {
  @Test
  void namesFollowTheAddressAndAreValidObjectNames() {
    assertThat(ServiceVirtualIps.name(IpLiteral.parse("192.0.2.200"))).isEqualTo("lb-192-0-2-200");
    assertThat(ServiceVirtualIps.name(IpLiteral.parse("2001:db8::")))
        .isEqualTo("lb-2001-0db8-0000-0000-0000-0000-0000-0000")
        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  }

  @Test
  void aServicesVirtualIpCarriesThePoolsSettingsItsAddressAndItsUsers() {
    VirtualIPPool edge = pool("edge", "2026-01-01T00:00:00Z", "192.0.2.0/28");
    edge.getSpec().setAdvertisementInterval("100ms");
    edge.getSpec().setInterfaceName("eth1");
    edge.getSpec().setNodeSelector(Map.of("node-role.kubernetes.io/ingress", ""));
    Service web = service("ns", "web");
    Service dns = service("ns", "dns");

    VirtualIP vip =
        ServiceVirtualIps.build(IpLiteral.parse("192.0.2.3"), edge, List.of(web, dns), null);

    assertThat(vip.getMetadata().getName()).isEqualTo("lb-192-0-2-3");
    assertThat(vip.getMetadata().getLabels())
        .containsEntry(LoadBalancers.SERVICE_NAMESPACE_LABEL, "ns")
        .containsEntry(LoadBalancers.SERVICE_NAME_LABEL, "web")
        .containsEntry(LoadBalancers.POOL_LABEL, "edge");
    assertThat(ServiceVirtualIps.services(vip)).containsExactly("ns/web", "ns/dns");
    assertThat(vip.getMetadata().getOwnerReferences())
        .as("a cluster-scoped object cannot be owned by a namespaced one")
        .isNullOrEmpty();
    VirtualIPSpec spec = vip.getSpec();
    assertThat(spec.getAddresses()).containsExactly("192.0.2.3");
    assertThat(spec.getAdvertisementInterval()).isEqualTo("100ms");
    assertThat(spec.getInterfaceName()).isEqualTo("eth1");
    assertThat(spec.getNodeSelector()).containsEntry("node-role.kubernetes.io/ingress", "");
    assertThat(ServiceVirtualIps.address(vip)).contains(IpLiteral.parse("192.0.2.3"));
  }

  @Test
  void holdingsCoverServicesOtherVirtualIpsAndNodes() {
    VirtualIP forServices =
        ServiceVirtualIps.build(
            IpLiteral.parse("192.0.2.3"),
            pool("edge", "2026-01-01T00:00:00Z", "192.0.2.0/28"),
            List.of(service("ns", "web"), service("ns", "gone")),
            null);
    VirtualIP own = new VirtualIP();
    own.getMetadata().setName("db");
    own.setSpec(new VirtualIPSpec());
    own.getSpec().setAddresses(List.of("192.0.2.4/24"));
    var node =
        new NodeBuilder()
            .withNewMetadata()
            .withName("node-a")
            .endMetadata()
            .withNewStatus()
            .addNewAddress()
            .withType("InternalIP")
            .withAddress("192.0.2.5")
            .endAddress()
            .endStatus()
            .build();

    List<Holding> held =
        ServiceVirtualIps.holdings(
            List.of(forServices, own),
            id -> id.equals("ns/web") ? Optional.of(service("ns", "web")) : Optional.empty(),
            List.of(node));

    assertThat(held)
        .extracting(h -> IpLiteral.format(h.address()) + " " + h.holder() + " " + h.ports())
        .containsExactlyInAnyOrder(
            "192.0.2.3 Service ns/web [TCP/80]",
            "192.0.2.3 Service ns/gone []",
            "192.0.2.4 VirtualIP db []",
            "192.0.2.5 Node node-a []");
  }
}
