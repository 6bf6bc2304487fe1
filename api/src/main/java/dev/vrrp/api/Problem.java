package dev.vrrp.api;

/**
 * One thing wrong with a VirtualIP or a config file: the field's path as the user wrote it ({@code
 * spec.addresses[2]}, {@code instances[0].priority}) and the reason in words.
 */
public record Problem(String field, String message) {
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
