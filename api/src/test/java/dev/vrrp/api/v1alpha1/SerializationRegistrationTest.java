package dev.vrrp.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/**
 * VirtualIP is registered with fabric8 (META-INF/services): a watch event's object is read as a
 * VirtualIP at once. Unregistered, every watch event of every informer was read as a generic
 * resource and then converted (serialized and read again): a third of the agents' CPU with 1000
 * VirtualIPs.
 */
class SerializationRegistrationTest {
  @Test
  void aWatchEventCarriesAVirtualIpWithoutConversion() {
    String json =
        """
        {"type":"MODIFIED","object":{"apiVersion":"vrrp.dev/v1alpha1","kind":"VirtualIP",
         "metadata":{"name":"web","resourceVersion":"7"},
         "spec":{"addresses":["192.0.2.10/24"]},
         "status":{"virtualRouterId":12,"nodes":[{"name":"node-a","state":"MASTER"}]}}}
        """;

    WatchEvent event = new KubernetesSerialization().unmarshal(json, WatchEvent.class);

    assertThat(event.getObject()).isInstanceOf(VirtualIP.class);
    VirtualIP vip = (VirtualIP) event.getObject();
    assertThat(vip.getSpec().getAddresses()).containsExactly("192.0.2.10/24");
    assertThat(vip.getStatus().getNodes())
        .extracting(NodeStatus::getState)
        .containsExactly("MASTER");
  }

  @Test
  void anyResourceReadsAsAVirtualIp() {
    KubernetesResource read =
        new KubernetesSerialization()
            .unmarshal(
                "{\"apiVersion\":\"vrrp.dev/v1alpha1\",\"kind\":\"VirtualIP\",\"metadata\":{\"name\":\"web\"}}");
    assertThat(read).isInstanceOf(VirtualIP.class);
  }
}
