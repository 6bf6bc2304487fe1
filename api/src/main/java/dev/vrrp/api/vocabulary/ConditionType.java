package dev.vrrp.api.vocabulary;

/** The operator's conditions on a VirtualIP (and, Ready and Exhausted, on a VirtualIPPool). */
public enum ConditionType implements Word {
  /** True while exactly one node holds the addresses. */
  READY("Ready"),
  /** True while a selected node cannot take part (no report, stale, FAULT). */
  DEGRADED("Degraded"),
  /** True while two or more nodes report MASTER. */
  SPLIT_BRAIN("SplitBrain"),
  /** True while the VirtualIP is refused (address, VRID, a node's own address, ...). */
  CONFLICT("Conflict"),
  /** On a pool: true while it has no address left to hand out. */
  EXHAUSTED("Exhausted");

  private final String wire;

  ConditionType(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }

  @Override
  public String toString() {
    return wire;
  }
}
