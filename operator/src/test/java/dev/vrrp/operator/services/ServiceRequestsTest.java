package dev.vrrp.operator.services;

import static dev.vrrp.operator.services.TestServices.ours;
import static dev.vrrp.operator.services.TestServices.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.Problem;
import dev.vrrp.api.Problems;
import dev.vrrp.api.text.IpLiteral;
import dev.vrrp.api.v1alpha1.LoadBalancers;
import dev.vrrp.operator.services.AddressAllocator.Request;
import dev.vrrp.packet.IpFamily;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceRequestsTest {
  @Test
  void ourClassIsOursAnotherClassNeverAServiceWithoutOneOnlyWhenTheDefaultIsOn() {
    assertThat(ServiceRequests.ours(service("ns", "a"), false)).isTrue();
    Service other =
        ours("ns", "b").editSpec().withLoadBalancerClass("metallb.io/l2").endSpec().build();
    assertThat(ServiceRequests.ours(other, true)).isFalse();
    Service classless = ours("ns", "c").editSpec().withLoadBalancerClass(null).endSpec().build();
    assertThat(ServiceRequests.ours(classless, false)).isFalse();
    assertThat(ServiceRequests.ours(classless, true)).isTrue();
    Service clusterIp = ours("ns", "d").editSpec().withType("ClusterIP").endSpec().build();
    assertThat(ServiceRequests.ours(clusterIp, true)).isFalse();
  }

  @Test
  void theRequestCarriesFamiliesAnnotationsAndPorts() {
    Service dual =
        ours(
                "ns",
                "web",
                LoadBalancers.ADDRESSES_ANNOTATION,
                "192.0.2.200, 2001:db8::200",
                LoadBalancers.POOL_ANNOTATION,
                "edge")
            .editSpec()
            .withIpFamilies("IPv6", "IPv4")
            .addNewPort()
            .withProtocol("UDP")
            .withPort(53)
            .endPort()
            .endSpec()
            .build();
    Problems found = new Problems();
    Request request = ServiceRequests.request(dual, found);
    assertThat(found.list()).isEmpty();
    assertThat(request.service()).isEqualTo("ns/web");
    assertThat(request.families()).containsExactly(IpFamily.IPV6, IpFamily.IPV4);
    assertThat(request.explicit())
        .containsExactly(IpLiteral.parse("192.0.2.200"), IpLiteral.parse("2001:db8::200"));
    assertThat(request.pool()).isEqualTo("edge");
    assertThat(request.shareKey()).isNull();
    assertThat(request.ports()).containsExactlyInAnyOrder("TCP/80", "UDP/53");
  }

  @Test
  void aBadAddressAnnotationIsNamed() {
    Problems found = new Problems();
    ServiceRequests.request(
        service("ns", "web", LoadBalancers.ADDRESSES_ANNOTATION, "192.0.2.200,web"), found);
    assertThat(found.list())
        .extracting(Problem::field)
        .containsExactly("metadata.annotations[vrrp.dev/addresses]");
    assertThat(found.list().get(0).message()).contains("'web'");
  }

  @Test
  void theSharingKeyFoldsInTheTrafficPolicyAndForLocalThePodSelector() {
    Service cluster = service("ns", "a", LoadBalancers.SHARED_IP_ANNOTATION, "k");
    List<String> keys =
        List.of(cluster, local("b", "web"), local("c", "db")).stream()
            .map(ServiceRequestsTest::shareKey)
            .toList();
    assertThat(keys).doesNotHaveDuplicates().doesNotContainNull();
    assertThat(shareKey(local("d", "web"))).as("Local, the same pods").isEqualTo(keys.get(1));
  }

  /** A Service with the sharing key k, policy Local, selecting pods app=app. */
  private static Service local(String name, String app) {
    return ours("ns", name, LoadBalancers.SHARED_IP_ANNOTATION, "k")
        .editSpec()
        .withExternalTrafficPolicy("Local")
        .withSelector(Map.of("app", app))
        .endSpec()
        .build();
  }

  private static String shareKey(Service service) {
    return ServiceRequests.request(service, new Problems()).shareKey();
  }
}
