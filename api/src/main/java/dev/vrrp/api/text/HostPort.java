package dev.vrrp.api.text;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * {@code host:port} as every address option is written ({@code 127.0.0.1:9477}, {@code
 * [2001:db8::1]:9477}, {@code web:80}). Split at the last colon, so an unbracketed IPv6 host works
 * too ({@code 2001:db8::11:9477}, which is what {@code $(HOST_IP):9477} becomes on an IPv6 node).
 */
public record HostPort(String host, int port) {
  public HostPort {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host:port needs a host");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535, got " + port);
    }
  }

  /** The address, or empty when the text is not {@code host:port}. */
  public static Optional<HostPort> tryParse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String trimmed = text.strip();
    int colon = trimmed.lastIndexOf(':');
    if (colon <= 0 || colon == trimmed.length() - 1) {
      return Optional.empty();
    }
    String host = trimmed.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String port = trimmed.substring(colon + 1);
    if (host.isBlank()
        || host.contains("[")
        || host.contains("]")
        || !port.chars().allMatch(Character::isDigit)
        || port.length() > 5) {
      return Optional.empty();
    }
    int number = Integer.parseInt(port);
    return number > 65535 ? Optional.empty() : Optional.of(new HostPort(host, number));
  }

  /** The address, or an {@link IllegalArgumentException} that quotes the text. */
  public static HostPort parse(String text) {
    return tryParse(text).orElseThrow(() -> new IllegalArgumentException(problem(text)));
  }

  /** The message for text that is not {@code host:port}. */
  public static String problem(String text) {
    return "must be host:port with a port 0-65535, like 127.0.0.1:9477 or [2001:db8::1]:9477, got '"
        + text
        + "'";
  }

  /** Not resolved: a name is looked up when it is used, not when the config is read. */
  public InetSocketAddress unresolved() {
    return InetSocketAddress.createUnresolved(host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
