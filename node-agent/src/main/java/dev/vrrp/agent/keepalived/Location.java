package dev.vrrp.agent.keepalived;

/**
 * Where a word stands: the file (as the user knows it: relative to the main file's directory), the
 * line and the column, both from 1.
 */
public record Location(String file, int line, int column) {
  /** {@code file:line}, the form of a notice. */
  public String fileAndLine() {
    return file + ":" + line;
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
