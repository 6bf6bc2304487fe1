package dev.vrrp.agent.health;

/**
 * The outcome of one probe, with a detail a person can act on ("HTTP 503", "no carrier"), and for a
 * probe that measures (a file check's number) the value it read, else null.
 */
public record ProbeResult(boolean ok, String detail, Long value) {
  public ProbeResult(boolean ok, String detail) {
    this(ok, detail, null);
  }

  public static ProbeResult ok(String detail) {
    return new ProbeResult(true, detail);
  }

  public static ProbeResult failed(String detail) {
    return new ProbeResult(false, detail);
  }

  /** A number read: 0 is healthy (keepalived's track_file with weight 0). */
  public static ProbeResult measured(long value, String detail) {
    return new ProbeResult(value == 0, detail, value);
  }
}
