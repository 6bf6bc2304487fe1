package dev.vrrp.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * Which addresses a pool hands out, to which Services, and the VRRP settings of the VirtualIPs it
 * creates for them. The schema and CEL rules reject at admission what {@link PoolRules} refuses (a
 * parity test holds them to the same fields); what CEL cannot see (a range that starts after it
 * ends, host bits, overlaps with other pools, selector operators) the operator reports in the
 * pool's conditions.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = VrrpSettings.V2_IPV4_ONLY,
    message = VrrpSettings.V2_IPV4_ONLY_MESSAGE,
    fieldPath = ".addresses")
public class VirtualIPPoolSpec extends VrrpSettings {
  /**
   * What PoolRules says of a bad selector requirement. Not a CEL rule: fabric8's LabelSelector has
   * unbounded lists, and the API server refuses the rule's estimated cost.
   */
  public static final String OPERATOR_MESSAGE =
      "matchExpressions: operator must be In or NotIn with values, or Exists or DoesNotExist"
          + " without";

  /** The longest item: two IPv6 addresses in their longest text (45 each) and the dash. */
  public static final int MAX_BLOCK_LENGTH = 91;

  /** Blocks per pool: enough for any layout, and a bound on the CEL cost of the rules below. */
  public static final int MAX_BLOCKS = 64;

  private static final String RANGE =
      "(a.contains('-') && a.split('-').size() == 2"
          + " && isIP(a.split('-')[0]) && isIP(a.split('-')[1]))";
  private static final String WELL_FORMED =
      "(a.contains('-') ? " + RANGE + " : (isIP(a) || isCIDR(a)))";
  private static final String FROM = "ip(a.split('-')[0])";
  private static final String TO = "ip(a.split('-')[1])";
  private static final String UNICAST_ENDS =
      "("
          + RANGE
          + " ? (("
          + FROM
          + ".isGlobalUnicast() || "
          + FROM
          + ".isLinkLocalUnicast()) && ("
          + TO
          + ".isGlobalUnicast() || "
          + TO
          + ".isLinkLocalUnicast()))"
          + " : isCIDR(a) ? (cidr(a).ip().isGlobalUnicast() || cidr(a).ip().isLinkLocalUnicast())"
          + " : (ip(a).isGlobalUnicast() || ip(a).isLinkLocalUnicast()))";
  private static final String SAME_FAMILY = FROM + ".family() == " + TO + ".family()";

  @Required
  @Size(min = 1, max = MAX_BLOCKS)
  @ValidationRule(
      value = "self.all(a, " + WELL_FORMED + ")",
      messageExpression =
          "'not a CIDR, a range or an address: ' + self.filter(a, !"
              + WELL_FORMED
              + ")[0] + ' (write e.g. 192.0.2.0/28, 192.0.2.200-192.0.2.210 or 192.0.2.7)'")
  @ValidationRule(
      value = "self.all(a, !" + RANGE + " || " + SAME_FAMILY + ")",
      messageExpression =
          "'a range mixes IPv4 and IPv6: ' + self.filter(a, "
              + RANGE
              + " && !("
              + SAME_FAMILY
              + "))[0]")
  @ValidationRule(
      value = "self.all(a, !" + WELL_FORMED + " || " + UNICAST_ENDS + ")",
      messageExpression =
          "'not unicast addresses (unspecified, loopback, multicast or broadcast): '"
              + " + self.filter(a, "
              + WELL_FORMED
              + " && !"
              + UNICAST_ENDS
              + ")[0]")
  @JsonPropertyDescription(
      "The addresses handed out: CIDRs (192.0.2.0/28, 2001:db8::/120), ranges "
          + "(192.0.2.200-192.0.2.210, both ends included) or single addresses; IPv4, IPv6 or both.")
  private List<@Size(max = MAX_BLOCK_LENGTH) String> addresses = new ArrayList<>();

  @Default("true")
  @JsonPropertyDescription(
      "Hand addresses out to Services that name no pool and no address; false: only to Services "
          + "that name this pool (vrrp.dev/pool) or one of its addresses (vrrp.dev/addresses).")
  private Boolean autoAssign = true;

  @Default("false")
  @JsonPropertyDescription(
      "Never hand out IPv4 addresses ending in .0 or .255 (some clients take them for network or "
          + "broadcast addresses whatever the prefix).")
  private Boolean avoidBuggyIPs = false;

  @JsonPropertyDescription("Only Services with these labels draw from the pool. Default: all.")
  private LabelSelector serviceSelector;

  @JsonPropertyDescription(
      "Only Services in namespaces with these labels draw from the pool. Default: all.")
  private LabelSelector namespaceSelector;

  public List<String> getAddresses() {
    return addresses;
  }

  public void setAddresses(List<String> addresses) {
    this.addresses = addresses;
  }

  public Boolean getAutoAssign() {
    return autoAssign;
  }

  public void setAutoAssign(Boolean autoAssign) {
    this.autoAssign = autoAssign;
  }

  public Boolean getAvoidBuggyIPs() {
    return avoidBuggyIPs;
  }

  public void setAvoidBuggyIPs(Boolean avoidBuggyIPs) {
    this.avoidBuggyIPs = avoidBuggyIPs;
  }

  public LabelSelector getServiceSelector() {
    return serviceSelector;
  }

  public void setServiceSelector(LabelSelector serviceSelector) {
    this.serviceSelector = serviceSelector;
  }

  public LabelSelector getNamespaceSelector() {
    return namespaceSelector;
  }

  public void setNamespaceSelector(LabelSelector namespaceSelector) {
    this.namespaceSelector = namespaceSelector;
  }
}
