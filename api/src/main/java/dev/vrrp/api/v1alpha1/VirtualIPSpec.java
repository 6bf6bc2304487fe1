package dev.vrrp.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the user asks for: which addresses float, where, and how VRRP behaves. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.authentication) || self.version == 2",
    message = "authentication exists in VRRPv2 only (RFC 5798 removed it); set version: 2 or remove it",
    fieldPath = ".authentication", reason = "FieldValueForbidden")
@ValidationRule(value = "self.version == 3 || self.advertisementInterval.matches('^[0-9]+s$') "
    + "&& duration(self.advertisementInterval) >= duration('1s') "
    + "&& duration(self.advertisementInterval) <= duration('255s')",
    message = "VRRPv2 needs whole seconds 1s-255s", fieldPath = ".advertisementInterval")
@ValidationRule(value = "self.version == 2 || duration(self.advertisementInterval) >= duration('10ms') "
    + "&& duration(self.advertisementInterval) <= duration('40950ms')",
    message = "VRRPv3 needs 10ms-40950ms", fieldPath = ".advertisementInterval")
@ValidationRule(value = "self.version == 3 || self.addresses.all(a, !a.contains(':'))",
    message = "VRRPv2 carries IPv4 only; use version: 3 for IPv6", fieldPath = ".addresses")
@ValidationRule(value = "self.addresses.all(a, !a.contains(':')) || self.addresses.all(a, a.contains(':'))",
    message = "mixes IPv4 and IPv6; use one VirtualIP per family", fieldPath = ".addresses")
public class VirtualIPSpec {

  @Required
  @Size(min = 1, max = 255)
  @ValidationRule(value = "self.all(a, a.contains('/') ? isCIDR(a) : isIP(a))",
      message = "each address must be an IP, optionally with a prefix length: 192.0.2.10/24 or 2001:db8::10/64")
  @JsonPropertyDescription("Virtual addresses, one family, as IP or IP/prefix. Without a prefix the agent uses the "
      + "prefix of the interface subnet that contains the address.")
  private List<String> addresses = new ArrayList<>();

  @JsonPropertyDescription("Interface on each node. Default: the interface of the node's route to the first address.")
  private String interfaceName;

  @Min(1)
  @Max(255)
  @JsonPropertyDescription("VRRP virtual router id (1-255). Default: allocated by the operator, unique per segment.")
  private Integer virtualRouterId;

  @Min(2)
  @Max(3)
  @Default("3")
  @JsonPropertyDescription("VRRP version: 3 (RFC 5798, IPv4 and IPv6) or 2 (RFC 3768, IPv4, PASS authentication).")
  private Integer version = 3;

  @Default("1s")
  @JsonPropertyDescription("How often the master advertises: 10ms-40950ms for v3, whole seconds 1s-255s for v2.")
  private String advertisementInterval = "1s";

  @Default("true")
  @JsonPropertyDescription("A node with a higher priority takes the address over from a lower one.")
  private Boolean preempt = true;

  @Default("0s")
  @JsonPropertyDescription("Tolerate a lower-priority master this long before preempting (keepalived preempt_delay).")
  private String preemptDelay = "0s";

  @JsonPropertyDescription("Only nodes with these labels take part.")
  private Map<String, String> nodeSelector = new LinkedHashMap<>();

  @JsonPropertyDescription("Tolerations for the agent pods on the selected nodes.")
  private List<Toleration> tolerations = new ArrayList<>();

  @JsonPropertyDescription("Explicit priority per node (1-254). Nodes not listed are ranked by the operator.")
  private List<NodePriority> priorities = new ArrayList<>();

  @JsonPropertyDescription("VRRPv2 simple password authentication (keepalived auth_type PASS).")
  private Authentication authentication;

  @Default("false")
  @JsonPropertyDescription("Send advertisements to the other selected nodes' addresses instead of multicast.")
  private Boolean unicast = false;

  @JsonPropertyDescription("Health checks; a failing check lowers the priority (weight) or puts the node in FAULT.")
  private List<HealthCheck> track = new ArrayList<>();

  public List<String> getAddresses() {
    return addresses;
  }

  public void setAddresses(List<String> addresses) {
    this.addresses = addresses;
  }

  @com.fasterxml.jackson.annotation.JsonProperty("interface")
  public String getInterfaceName() {
    return interfaceName;
  }

  @com.fasterxml.jackson.annotation.JsonProperty("interface")
  public void setInterfaceName(String interfaceName) {
    this.interfaceName = interfaceName;
  }

  public Integer getVirtualRouterId() {
    return virtualRouterId;
  }

  public void setVirtualRouterId(Integer virtualRouterId) {
    this.virtualRouterId = virtualRouterId;
  }

  public Integer getVersion() {
    return version;
  }

  public void setVersion(Integer version) {
    this.version = version;
  }

  public String getAdvertisementInterval() {
    return advertisementInterval;
  }

  public void setAdvertisementInterval(String advertisementInterval) {
    this.advertisementInterval = advertisementInterval;
  }

  public Boolean getPreempt() {
    return preempt;
  }

  public void setPreempt(Boolean preempt) {
    this.preempt = preempt;
  }

  public String getPreemptDelay() {
    return preemptDelay;
  }

  public void setPreemptDelay(String preemptDelay) {
    this.preemptDelay = preemptDelay;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public List<NodePriority> getPriorities() {
    return priorities;
  }

  public void setPriorities(List<NodePriority> priorities) {
    this.priorities = priorities;
  }

  public Authentication getAuthentication() {
    return authentication;
  }

  public void setAuthentication(Authentication authentication) {
    this.authentication = authentication;
  }

  public Boolean getUnicast() {
    return unicast;
  }

  public void setUnicast(Boolean unicast) {
    this.unicast = unicast;
  }

  public List<HealthCheck> getTrack() {
    return track;
  }

  public void setTrack(List<HealthCheck> track) {
    this.track = track;
  }
}
