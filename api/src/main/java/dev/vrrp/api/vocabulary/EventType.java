package dev.vrrp.api.vocabulary;

/** core/v1 Event types. */
public enum EventType {
  NORMAL("Normal"),
  WARNING("Warning");

  private final String wire;

  EventType(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  @Override
  public String toString() {
    return wire;
  }
}
