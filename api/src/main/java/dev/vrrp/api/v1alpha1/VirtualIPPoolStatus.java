package dev.vrrp.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * What the operator knows about a pool. Counts are decimal text: an IPv6 pool holds more addresses
 * than any integer field could count.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VirtualIPPoolStatus {
  @JsonPropertyDescription("Addresses in the pool (without .0 and .255 when it avoids them).")
  private String total;

  @JsonPropertyDescription("Addresses held by Services.")
  private String assigned;

  @JsonPropertyDescription("Addresses left to hand out.")
  private String available;

  @JsonPropertyDescription("Ready (the pool is usable), Exhausted, Conflict.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The generation the operator last acted on.")
  private Long observedGeneration;

  public String getTotal() {
    return total;
  }

  public void setTotal(String total) {
    this.total = total;
  }

  public String getAssigned() {
    return assigned;
  }

  public void setAssigned(String assigned) {
    this.assigned = assigned;
  }

  public String getAvailable() {
    return available;
  }

  public void setAvailable(String available) {
    this.available = available;
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
}
