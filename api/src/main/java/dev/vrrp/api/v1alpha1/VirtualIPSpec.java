package dev.vrrp.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/**
 * What the user asks for: which addresses float, where, and how VRRP behaves. The schema and CEL
 * rules here and in {@link VrrpSettings} reject at admission what {@link SpecRules} refuses (a
 * parity test holds them to the same fields), each error naming the field.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = VrrpSettings.V2_IPV4_ONLY,
    message = VrrpSettings.V2_IPV4_ONLY_MESSAGE,
    fieldPath = ".addresses")
public class VirtualIPSpec extends VrrpSettings {
  /** The address without its /prefix. */
  private static final String HOST = "a.split('/')[0]";

  // One advertisement carries at most 255 addresses. Items are at most 49 characters (the longest
  // IPv6 text, 45, plus /128): the bound keeps the CEL cost of 255 addresses within the limits.
  // The list is a set: a repeated address is rejected by the API server, naming its index.
  @Required
  @Size(min = 1, max = 255)
  @ValidationRule(
      value = "self.all(a, isIP(" + HOST + "))",
      messageExpression =
          "'not an IP address: ' + self.filter(a, !isIP("
              + HOST
              + "))[0]"
              + " + ' (write e.g. 192.0.2.10, 192.0.2.10/24 or 2001:db8::10/64)'")
  @ValidationRule(
      value = "self.all(a, !a.contains('/') || !isIP(" + HOST + ") || isCIDR(a))",
      messageExpression =
          "'prefix length must be 0-32 for IPv4 and 0-128 for IPv6: '"
              + " + self.filter(a, a.contains('/') && isIP("
              + HOST
              + ") && !isCIDR(a))[0]")
  @ValidationRule(
      value =
          "self.all(a, !isIP("
              + HOST
              + ") || ip("
              + HOST
              + ").isGlobalUnicast()"
              + " || ip("
              + HOST
              + ").isLinkLocalUnicast())",
      messageExpression =
          "'not a unicast address (unspecified, loopback, multicast or broadcast): '"
              + " + self.filter(a, isIP("
              + HOST
              + ") && !ip("
              + HOST
              + ").isGlobalUnicast()"
              + " && !ip("
              + HOST
              + ").isLinkLocalUnicast())[0]")
  @ValidationRule(
      value = "self.all(a, !a.contains(':')) || self.all(a, a.contains(':'))",
      message = "mixes IPv4 and IPv6; use one VirtualIP per family")
  @JsonPropertyDescription(
      "Virtual addresses, one family, as IP or IP/prefix, at most 255, each once. Without a "
          + "prefix the agent uses the prefix of the interface subnet that contains the address.")
  private List<@Size(max = 49) String> addresses = new ArrayList<>();

  @Min(1)
  @Max(255)
  @JsonPropertyDescription(
      "VRRP virtual router id (1-255). Default: allocated by the operator, unique per segment.")
  private Integer virtualRouterId;

  // Unset means every node the selector matches; an empty list means none, so the difference is
  // kept (null is not written). A set: a repeated name is rejected by the API server.
  @Size(max = SpecRules.MAX_NODE_NAMES)
  @JsonPropertyDescription(
      "Only these nodes (by name) take part, besides matching nodeSelector. Unset: every node"
          + " the selector matches; empty: no node holds the addresses. The operator sets it for"
          + " a Service with externalTrafficPolicy Local (the nodes with a ready endpoint).")
  private List<@Size(min = 1, max = SpecRules.MAX_NODE_NAME_LENGTH) String> nodeNames;

  public List<String> getAddresses() {
    return addresses;
  }

  public void setAddresses(List<String> addresses) {
    this.addresses = addresses;
  }

  /** The nodes that may take part, or null when every node the selector matches may. */
  public List<String> getNodeNames() {
    return nodeNames;
  }

  public void setNodeNames(List<String> nodeNames) {
    this.nodeNames = nodeNames;
  }

  public Integer getVirtualRouterId() {
    return virtualRouterId;
  }

  public void setVirtualRouterId(Integer virtualRouterId) {
    this.virtualRouterId = virtualRouterId;
  }
}
