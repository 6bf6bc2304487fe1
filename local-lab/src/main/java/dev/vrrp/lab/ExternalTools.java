package dev.vrrp.lab;

import java.io.File;
import java.util.Arrays;

/** Finds a system tool; a missing one is an error that says which package brings it. */
public final class ExternalTools {
  private static final java.util.Map<String, String> DEBIAN_PACKAGES =
      java.util.Map.of(
          "ip",
          "iproute2",
          "tcpdump",
          "tcpdump",
          "keepalived",
          "keepalived",
          "socat",
          "socat",
          "ping",
          "iputils-ping");

  private ExternalTools() {}

  public static String require(String name) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/bin:/sbin:/bin";
    return Arrays.stream(path.split(File.pathSeparator))
        .map(dir -> new File(dir, name))
        .filter(File::canExecute)
        .map(File::getAbsolutePath)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    name
                        + " is not installed (Debian: apt-get install "
                        + DEBIAN_PACKAGES.getOrDefault(name, name)
                        + ")"));
  }
}
