package dev.vrrp.agent.keepalived;

/** A file that cannot be read as keepalived.conf; the message names the line and column. */
public final class KeepalivedSyntaxException extends Exception {
  private final Location at;

  public KeepalivedSyntaxException(Location at, String message) {
    super(at + ": " + message);
    this.at = at;
  }

  public Location at() {
    return at;
  }
}
