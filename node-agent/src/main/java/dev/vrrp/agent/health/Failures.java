package dev.vrrp.agent.health;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** Turns the exceptions of network probes into details a person understands. */
final class Failures {
  private Failures() {}

  static String describe(Throwable failure, Duration timeout) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      // The JDK often leaves these without a message, or with one that names the class only.
      if (t instanceof HttpConnectTimeoutException || t instanceof SocketTimeoutException) {
        return "no connection within " + timeout.toMillis() + "ms";
      }
      if (t instanceof HttpTimeoutException) {
        return "no answer within " + timeout.toMillis() + "ms";
      }
      if (t instanceof ConnectException) {
        return "connection refused" + suffix(t);
      }
      if (t instanceof UnknownHostException) {
        return "unknown host " + t.getMessage();
      }
    }
    Throwable root = failure;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + suffix(root);
  }

  private static String suffix(Throwable t) {
    String message = t.getMessage();
    return message == null || message.isBlank() || message.equalsIgnoreCase("connection refused")
        ? ""
        : ": " + message;
  }
}
