package dev.vrrp.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The serialization the operator's and the agents' clients use: fabric8's, except that {@code
 * metadata.managedFields} is skipped. Neither reads it, and a VirtualIP carries one entry per field
 * manager (three agents, the operator, the creator), each with a tree of field names that Jackson
 * turns into nested maps: with 1000 VirtualIPs that was a large share of what every watch event
 * cost to read. Updates without managedFields keep the stored ones (the API server takes the live
 * object's when a request has none).
 */
public final class ClientSerialization {
  private ClientSerialization() {}

  @JsonIgnoreProperties({"managedFields"})
  private abstract static class WithoutManagedFields {}

  public static KubernetesSerialization withoutManagedFields() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.addMixIn(ObjectMeta.class, WithoutManagedFields.class);
    return new KubernetesSerialization(mapper, true);
  }
}
