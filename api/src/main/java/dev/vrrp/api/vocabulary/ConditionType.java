package dev.vrrp.api.vocabulary;

/** The operator's conditions on a VirtualIP. */
public enum ConditionType {
  /** True while exactly one node holds the addresses. */
  READY("Ready"),
  /** True while a selected node cannot take part (no report, stale, FAULT). */
  DEGRADED("Degraded"),
  /** True while two or more nodes report MASTER. */
  SPLIT_BRAIN("SplitBrain"),
  /** True while the VirtualIP is refused (address, VRID, a node's own address, ...). */
  CONFLICT("Conflict");

  private final String wire;

  ConditionType(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public boolean is(String text) {
    return wire.equals(text);
  }

  @Override
  public String toString() {
    return wire;
  }
}
