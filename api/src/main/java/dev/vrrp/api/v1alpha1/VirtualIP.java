package dev.vrrp.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A floating IP (or several, one family) held by one node at a time via VRRP. Cluster-scoped: an
 * address belongs to the network, not to a namespace.
 */
@Group(VirtualIP.GROUP)
@Version(VirtualIP.VERSION)
@Plural("virtualips")
@ShortNames({"vip", "vips"})
@AdditionalPrinterColumn(
    name = "ADDRESSES",
    jsonPath = ".spec.addresses",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "MASTER",
    jsonPath = ".status.master",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "VRID",
    jsonPath = ".status.virtualRouterId",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "READY",
    jsonPath = ".status.ready",
    type = AdditionalPrinterColumn.Type.STRING)
// kubectl get vips -o wide: the LoadBalancer Services using the address (namespace/name)
@AdditionalPrinterColumn(
    name = "SERVICES",
    jsonPath = ".metadata.annotations.vrrp\\.dev/services",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class VirtualIP extends CustomResource<VirtualIPSpec, VirtualIPStatus> {
  public static final String GROUP = "vrrp.dev";
  public static final String VERSION = "v1alpha1";

  /** Set on a VirtualIP the operator keeps until every agent has released its addresses. */
  public static final String RELEASE_FINALIZER = "vrrp.dev/release-addresses";

  @Override
  protected VirtualIPStatus initStatus() {
    return new VirtualIPStatus();
  }
}
