package dev.vrrp.operator.status;

import dev.vrrp.api.v1alpha1.NodeEntryPatch;
import dev.vrrp.api.v1alpha1.OperatorManager;
import dev.vrrp.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Writes the operator's part of the status with server-side apply on the status subresource: field
 * manager {@link OperatorManager#NAME}, force (the operator is the only rightful owner of these
 * fields), and a body that names only the operator's fields ({@link OperatorStatus#toApplyPatch}).
 * {@code status.nodes} is never in the body, so the agents' entries, each owned by its own manager
 * ({@link NodeEntryPatch#fieldManager}), are never touched.
 */
public class StatusWriter {
  private final KubernetesClient client;

  public StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /** Applies and returns the object as stored. */
  public VirtualIP apply(VirtualIP vip, OperatorStatus status) {
    return client
        .resources(VirtualIP.class)
        .withName(vip.getMetadata().getName())
        .subresource("status")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager(OperatorManager.NAME)
                .withForce(true)
                .build(),
            status.toApplyPatch(vip.getMetadata().getName()));
  }
}
