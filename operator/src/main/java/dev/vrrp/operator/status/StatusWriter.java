package dev.vrrp.operator.status;

import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.operator.meta.Manager;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Writes the operator's part of the status with server-side apply on the status subresource: field
 * manager {@link Manager#NAME}, force (the operator is the only rightful owner of these fields),
 * and a body that names only the operator's fields ({@link OperatorStatus#toApplyPatch}). {@code
 * status.nodes} is never in the body, so the agents' entries, each owned by its own manager {@code
 * vrrp-agent/<node>}, are never touched.
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
                .withFieldManager(Manager.NAME)
                .withForce(true)
                .build(),
            status.toApplyPatch(vip.getMetadata().getName()));
  }
}
