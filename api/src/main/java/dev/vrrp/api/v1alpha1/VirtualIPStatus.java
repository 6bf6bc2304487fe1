package dev.vrrp.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * The truth about a VirtualIP. Agents own their {@code nodes[]} entries; the operator owns
 * everything else (master, conditions, observedGeneration, ...).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VirtualIPStatus {
  @JsonPropertyDescription("The node holding the addresses, if exactly one does.")
  private String master;

  @JsonPropertyDescription("The VRID in use (given or allocated).")
  private Integer virtualRouterId;

  @JsonPropertyDescription(
      "The plan agents run: each selected node with its priority (given, or ranked by the "
          + "operator). Agents start an instance only when their node is listed here.")
  private List<NodePriority> priorities = new ArrayList<>();

  @JsonPropertyDescription("Healthy nodes / selected nodes, e.g. 2/3.")
  private String ready;

  @JsonPropertyDescription(
      "Per-node state, one entry per selected node, written by that node's agent.")
  private List<NodeStatus> nodes = new ArrayList<>();

  @JsonPropertyDescription("Ready, Degraded, SplitBrain, Conflict.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The generation the operator last acted on.")
  private Long observedGeneration;

  @JsonPropertyDescription("Master changes seen by the operator.")
  private Long transitions;

  @JsonPropertyDescription("When the master last changed (RFC 3339).")
  private String lastFailoverTime;

  public String getMaster() {
    return master;
  }

  public void setMaster(String master) {
    this.master = master;
  }

  public Integer getVirtualRouterId() {
    return virtualRouterId;
  }

  public void setVirtualRouterId(Integer virtualRouterId) {
    this.virtualRouterId = virtualRouterId;
  }

  public List<NodePriority> getPriorities() {
    return priorities;
  }

  public void setPriorities(List<NodePriority> priorities) {
    this.priorities = priorities;
  }

  public String getReady() {
    return ready;
  }

  public void setReady(String ready) {
    this.ready = ready;
  }

  public List<NodeStatus> getNodes() {
    return nodes;
  }

  public void setNodes(List<NodeStatus> nodes) {
    this.nodes = nodes;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Long getTransitions() {
    return transitions;
  }

  public void setTransitions(Long transitions) {
    this.transitions = transitions;
  }

  public String getLastFailoverTime() {
    return lastFailoverTime;
  }

  public void setLastFailoverTime(String lastFailoverTime) {
    this.lastFailoverTime = lastFailoverTime;
  }
}
