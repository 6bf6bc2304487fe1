package dev.vrrp.api.v1alpha1;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * The server-side apply body with which an agent writes its own {@code status.nodes[]} entry:
 * identity plus that one entry. {@code status.nodes} is a list-map keyed by name, and each agent
 * applies under its own field manager ({@link #fieldManager}), so it owns its entry and nothing
 * else.
 */
public final class NodeEntryPatch {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NodeEntryPatch() {}

  /** The field manager of the agent on {@code node}. */
  public static String fieldManager(String node) {
    return "vrrp-agent/" + node;
  }

  /** The apply body for the status subresource of VirtualIP {@code virtualIp}. */
  public static String of(String virtualIp, NodeStatus entry) {
    ObjectNode apply = JSON.createObjectNode();
    apply.put("apiVersion", HasMetadata.getApiVersion(VirtualIP.class));
    apply.put("kind", HasMetadata.getKind(VirtualIP.class));
    apply.putObject("metadata").put("name", virtualIp);
    apply.putObject("status").putArray("nodes").add(JSON.valueToTree(entry));
    return apply.toString();
  }

  /**
   * Writes {@code entry} as an agent does: server-side apply of {@link #of} to the status
   * subresource under {@code fieldManager} (an agent's is {@link #fieldManager}), forced.
   *
   * @return the VirtualIP as the API server stored it
   */
  public static VirtualIP apply(
      KubernetesClient client, String fieldManager, String virtualIp, NodeStatus entry) {
    return client
        .resources(VirtualIP.class)
        .withName(virtualIp)
        .subresource("status")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager(fieldManager)
                .withForce(true)
                .build(),
            of(virtualIp, entry));
  }
}
