package dev.vrrp.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * One node's view, written only by that node's agent (server-side apply, field manager {@code
 * vrrp-agent/<node>}). {@code status.nodes} is a list-map keyed by name, so agents never overwrite
 * each other's entries.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeStatus {
  @Required
  @JsonPropertyDescription("Node name (the list-map key).")
  private String name;

  @JsonPropertyDescription(
      "VRRP state: INITIALIZE, BACKUP, MASTER or FAULT; Unknown when the heartbeat is stale.")
  private String state;

  @JsonPropertyDescription("Configured priority.")
  private Integer priority;

  @JsonPropertyDescription("Priority after health tracking.")
  private Integer effectivePriority;

  @JsonPropertyDescription("The node's address on the VRRP interface.")
  private String address;

  @JsonPropertyDescription("When the state last changed (RFC 3339).")
  private String lastTransitionTime;

  @JsonPropertyDescription("When the agent last wrote this entry (RFC 3339).")
  private String heartbeatTime;

  @JsonPropertyDescription("Transitions since the agent started.")
  private Long transitions;

  @JsonPropertyDescription(
      "Why the node is in its state, as a CamelCase word (FAULT: AddressInUse, NodeAddress, InvalidSpec, "
          + "NoRoute, SecretUnusable, CannotRun, CheckFailed, ...).")
  private String reason;

  @JsonPropertyDescription("Why the node is in its state (faults, errors).")
  private String message;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public Integer getPriority() {
    return priority;
  }

  public void setPriority(Integer priority) {
    this.priority = priority;
  }

  public Integer getEffectivePriority() {
    return effectivePriority;
  }

  public void setEffectivePriority(Integer effectivePriority) {
    this.effectivePriority = effectivePriority;
  }

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  public void setLastTransitionTime(String lastTransitionTime) {
    this.lastTransitionTime = lastTransitionTime;
  }

  public String getHeartbeatTime() {
    return heartbeatTime;
  }

  public void setHeartbeatTime(String heartbeatTime) {
    this.heartbeatTime = heartbeatTime;
  }

  public Long getTransitions() {
    return transitions;
  }

  public void setTransitions(Long transitions) {
    this.transitions = transitions;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
