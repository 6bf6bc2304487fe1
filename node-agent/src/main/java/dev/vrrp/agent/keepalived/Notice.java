package dev.vrrp.agent.keepalived;

import java.util.Locale;

/**
 * What the import says about one keyword: converted with a difference, or not converted and what to
 * do instead. Printed as {@code file:line: severity: keyword: message}.
 */
public record Notice(Location at, Severity severity, String keyword, String message) {
  public enum Severity {
    /** Converted; the behaviour differs in a way worth knowing. */
    INFO,
    /** Not converted, but VRRP (which node holds the addresses, and when) behaves the same. */
    WARNING,
    /** Not converted, and VRRP would behave differently: the import exits with status 1. */
    ERROR
  }

  @Override
  public String toString() {
    return at.fileAndLine()
        + ": "
        + severity.name().toLowerCase(Locale.ROOT)
        + ": "
        + keyword
        + ": "
        + message;
  }
}
