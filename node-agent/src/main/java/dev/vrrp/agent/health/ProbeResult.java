package dev.vrrp.agent.health;

/** The outcome of one probe, with a detail a person can act on ("HTTP 503", "no carrier"). */
public record ProbeResult(boolean ok, String detail) {
  public static ProbeResult ok(String detail) {
    return new ProbeResult(true, detail);
  }

  public static ProbeResult failed(String detail) {
    return new ProbeResult(false, detail);
  }
}
