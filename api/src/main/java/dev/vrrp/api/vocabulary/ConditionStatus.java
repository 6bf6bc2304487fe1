package dev.vrrp.api.vocabulary;

/** metav1.Condition's status. */
public enum ConditionStatus {
  TRUE("True"),
  FALSE("False"),
  UNKNOWN("Unknown");

  private final String wire;

  ConditionStatus(String wire) {
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
