package dev.vrrp.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientSerializationTest {
  private static final String EVENT =
      """
      {"type":"MODIFIED","object":{"apiVersion":"vrrp.dev/v1alpha1","kind":"VirtualIP",
       "metadata":{"name":"web","uid":"u1","resourceVersion":"7","finalizers":["vrrp.dev/release"],
         "managedFields":[{"manager":"vrrp-agent/node-a","operation":"Apply","subresource":"status",
           "fieldsType":"FieldsV1","fieldsV1":{"f:status":{"f:nodes":{"k:{\\"name\\":\\"node-a\\"}":{".":{},"f:state":{}}}}}}]},
       "spec":{"addresses":["192.0.2.10/24"]},
       "status":{"virtualRouterId":12,"nodes":[{"name":"node-a","state":"MASTER"}]}}}
      """;

  @Test
  void readsEverythingButManagedFields() {
    WatchEvent event =
        ClientSerialization.withoutManagedFields().unmarshal(EVENT, WatchEvent.class);

    VirtualIP vip = (VirtualIP) event.getObject();
    assertThat(vip.getMetadata().getManagedFields()).isEmpty();
    assertThat(vip.getMetadata().getFinalizers()).containsExactly("vrrp.dev/release");
    assertThat(vip.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(vip.getStatus().getNodes().get(0).getState()).isEqualTo("MASTER");
    // fabric8's own reads them: the difference is the mix-in
    VirtualIP full =
        (VirtualIP) new KubernetesSerialization().unmarshal(EVENT, WatchEvent.class).getObject();
    assertThat(full.getMetadata().getManagedFields())
        .extracting(ManagedFieldsEntry::getManager)
        .containsExactly("vrrp-agent/node-a");
  }

  @Test
  void writesNoManagedFields() {
    VirtualIP vip = new VirtualIP();
    vip.getMetadata().setName("web");
    vip.getMetadata().setManagedFields(List.of(new ManagedFieldsEntry()));
    assertThat(ClientSerialization.withoutManagedFields().asJson(vip))
        .doesNotContain("managedFields")
        .contains("\"web\"");
  }
}
