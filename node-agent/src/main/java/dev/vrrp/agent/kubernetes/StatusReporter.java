package dev.vrrp.agent.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vrrp.api.v1alpha1.NodeStatus;
import dev.vrrp.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes this node's entry of {@code status.nodes} with server-side apply under its own field
 * manager, so it owns that entry and nothing else. Failures are logged once per outage: VRRP does
 * not wait for the API server.
 */
public final class StatusReporter {
  private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final String fieldManager;
  private volatile boolean failing;

  public StatusReporter(KubernetesClient client, String nodeName) {
    this.client = client;
    this.fieldManager = "vrrp-agent/" + nodeName;
  }

  public String fieldManager() {
    return fieldManager;
  }

  /** Returns whether the write reached the API server. */
  public boolean report(String virtualIp, NodeStatus entry) {
    ObjectNode apply = JSON.createObjectNode();
    apply.put("apiVersion", HasMetadata.getApiVersion(VirtualIP.class));
    apply.put("kind", HasMetadata.getKind(VirtualIP.class));
    apply.putObject("metadata").put("name", virtualIp);
    apply.putObject("status").putArray("nodes").add(JSON.valueToTree(entry));
    try {
      client.resources(VirtualIP.class).withName(virtualIp).subresource("status")
          .patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager(fieldManager)
              .withForce(true).build(), apply.toString());
      if (failing) {
        LOG.info("status writes work again");
        failing = false;
      }
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return true; // the VirtualIP is gone: nothing left to report
      }
      if (!failing) {
        LOG.warn("cannot write status of {} ({}); VRRP carries on, will retry on the next heartbeat", virtualIp,
            e.getMessage());
        failing = true;
      }
      return false;
    }
  }
}
