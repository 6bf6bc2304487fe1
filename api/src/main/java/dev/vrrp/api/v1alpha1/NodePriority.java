package dev.vrrp.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** One node's explicit VRRP priority. */
public class NodePriority {
  @Required
  @JsonPropertyDescription("Node name.")
  private String node;

  @Required
  @Min(1)
  @Max(254)
  @JsonPropertyDescription("Priority 1-254; the highest available node is master.")
  private Integer priority;

  public NodePriority() {}

  public NodePriority(String node, Integer priority) {
    this.node = node;
    this.priority = priority;
  }

  public String getNode() {
    return node;
  }

  public void setNode(String node) {
    this.node = node;
  }

  public Integer getPriority() {
    return priority;
  }

  public void setPriority(Integer priority) {
    this.priority = priority;
  }
}
