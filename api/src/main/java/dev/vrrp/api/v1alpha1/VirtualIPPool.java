package dev.vrrp.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Addresses the operator hands out to LoadBalancer Services, one VirtualIP per address, with the
 * VRRP settings those VirtualIPs get. Cluster-scoped, like the addresses.
 */
@Group(VirtualIP.GROUP)
@Version(VirtualIP.VERSION)
@Plural("virtualippools")
@ShortNames({"vippool", "vippools"})
@AdditionalPrinterColumn(
    name = "ADDRESSES",
    jsonPath = ".spec.addresses",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "AUTO",
    jsonPath = ".spec.autoAssign",
    type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(
    name = "ASSIGNED",
    jsonPath = ".status.assigned",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "AVAILABLE",
    jsonPath = ".status.available",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class VirtualIPPool extends CustomResource<VirtualIPPoolSpec, VirtualIPPoolStatus> {
  @Override
  protected VirtualIPPoolStatus initStatus() {
    return new VirtualIPPoolStatus();
  }
}
