package dev.vrrp.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vrrp.api.text.Durations;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How VRRP runs a set of addresses: where (nodes, interface, tolerations, priorities) and how
 * (version, timers, preemption, authentication, checks). A VirtualIP has these settings with its
 * addresses; a VirtualIPPool has them as the defaults of the VirtualIPs it hands out. Declared once
 * here, so both resources get the same schema, CEL rules and defaults.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.authentication) || self.version == 2",
    message =
        "authentication exists in VRRPv2 only (RFC 5798 removed it); set version: 2 or remove it",
    fieldPath = ".authentication",
    reason = "FieldValueForbidden")
@ValidationRule(
    value =
        "self.version != 2 || "
            + VrrpSettings.INTERVAL_UNPARSABLE
            + " || ("
            + VrrpSettings.INTERVAL
            + " >= duration('1s') && "
            + VrrpSettings.INTERVAL
            + " <= duration('255s')"
            + " && "
            + VrrpSettings.INTERVAL
            + ".getMilliseconds() % 1000 == 0)",
    messageExpression = "'VRRPv2 needs whole seconds 1s-255s, got ' + self.advertisementInterval",
    fieldPath = ".advertisementInterval")
@ValidationRule(
    value =
        "self.version != 3 || "
            + VrrpSettings.INTERVAL_UNPARSABLE
            + " || ("
            + VrrpSettings.INTERVAL
            + " >= duration('10ms') && "
            + VrrpSettings.INTERVAL
            + " <= duration('40950ms')"
            + " && "
            + VrrpSettings.INTERVAL
            + ".getMilliseconds() % 10 == 0)",
    messageExpression =
        "'VRRPv3 needs 10ms-40950ms in steps of 10ms, got ' + self.advertisementInterval",
    fieldPath = ".advertisementInterval")
public abstract class VrrpSettings {
  public static final int DEFAULT_VERSION = 3;
  public static final String DEFAULT_INTERVAL = "1s";
  public static final String DEFAULT_PREEMPT_DELAY = "0s";
  public static final boolean DEFAULT_PREEMPT = true;
  static final String DURATION = Durations.PATTERN;
  static final String INTERVAL = "duration(self.advertisementInterval)";

  /** The pattern already reports it; the guard keeps duration() from failing in the other rules. */
  static final String INTERVAL_UNPARSABLE =
      "!self.advertisementInterval.matches('" + DURATION + "')";

  /**
   * Admission's rule for VRRPv2's IPv4-only addresses; the resources apply it to their own list.
   */
  static final String V2_IPV4_ONLY = "self.version != 2 || self.addresses.all(a, !a.contains(':'))";

  static final String V2_IPV4_ONLY_MESSAGE = "VRRPv2 carries IPv4 only; use version: 3 for IPv6";

  @Pattern(SpecRules.INTERFACE_PATTERN)
  @JsonPropertyDescription(
      "Interface on each node. Default: the interface of the node's route to the first address.")
  private String interfaceName;

  @Min(2)
  @Max(3)
  @Default("3")
  @JsonPropertyDescription(
      "VRRP version: 3 (RFC 5798, IPv4 and IPv6) or 2 (RFC 3768, IPv4, PASS authentication).")
  private Integer version = DEFAULT_VERSION;

  @Default(DEFAULT_INTERVAL)
  @Pattern(DURATION)
  @Size(max = 16)
  @JsonPropertyDescription(
      "How often the master advertises: 10ms-40950ms for v3, whole seconds 1s-255s for v2. "
          + "A duration like 100ms, 1s, 1.5s or 1m30s.")
  private String advertisementInterval = DEFAULT_INTERVAL;

  @Default("true")
  @JsonPropertyDescription("A node with a higher priority takes the address over from a lower one.")
  private Boolean preempt = DEFAULT_PREEMPT;

  @Default(DEFAULT_PREEMPT_DELAY)
  @Pattern(DURATION)
  @Size(max = 16)
  @ValidationRule(
      value = "!self.matches('" + DURATION + "') || duration(self) <= duration('1000s')",
      messageExpression = "'must be at most 1000s, got ' + self")
  @JsonPropertyDescription(
      "Tolerate a lower-priority master this long before preempting (keepalived preempt_delay).")
  private String preemptDelay = DEFAULT_PREEMPT_DELAY;

  @JsonPropertyDescription("Only nodes with these labels take part.")
  private Map<String, String> nodeSelector = new LinkedHashMap<>();

  @JsonPropertyDescription("Tolerations for the agent pods on the selected nodes.")
  private List<Toleration> tolerations = new ArrayList<>();

  @JsonPropertyDescription(
      "Explicit priority per node (1-254). Nodes not listed are ranked by the operator.")
  private List<NodePriority> priorities = new ArrayList<>();

  @JsonPropertyDescription("VRRPv2 simple password authentication (keepalived auth_type PASS).")
  private Authentication authentication;

  @Default("false")
  @JsonPropertyDescription(
      "Send advertisements to the other selected nodes' addresses instead of multicast.")
  private Boolean unicast = false;

  @Size(max = 32)
  @JsonPropertyDescription(
      "Health checks; a failing check lowers the priority (weight) or puts the node in FAULT.")
  private List<HealthCheck> track = new ArrayList<>();

  @com.fasterxml.jackson.annotation.JsonProperty("interface")
  public String getInterfaceName() {
    return interfaceName;
  }

  @com.fasterxml.jackson.annotation.JsonProperty("interface")
  public void setInterfaceName(String interfaceName) {
    this.interfaceName = interfaceName;
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

  /**
   * Gives {@code target} these settings, each list and map copied (nested objects are shared: a
   * VirtualIP made from a pool is serialized, never edited in place).
   */
  public void copySettingsTo(VrrpSettings target) {
    target.setInterfaceName(interfaceName);
    target.setVersion(version);
    target.setAdvertisementInterval(advertisementInterval);
    target.setPreempt(preempt);
    target.setPreemptDelay(preemptDelay);
    target.setNodeSelector(nodeSelector == null ? null : new LinkedHashMap<>(nodeSelector));
    target.setTolerations(tolerations == null ? null : new ArrayList<>(tolerations));
    target.setPriorities(priorities == null ? null : new ArrayList<>(priorities));
    target.setAuthentication(authentication);
    target.setUnicast(unicast);
    target.setTrack(track == null ? null : new ArrayList<>(track));
  }
}
