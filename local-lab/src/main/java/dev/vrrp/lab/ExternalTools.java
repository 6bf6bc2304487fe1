package dev.vrrp.lab;

import java.io.File;
import java.util.Arrays;
import java.util.Map;

/** Finds a system tool; a missing one is an error that says which package brings it. */
public final class ExternalTools {
  /**
   * The Debian package of each tool the lab and the tests use (./test and .ci/run install them).
   */
  private static final Map<String, String> DEBIAN_PACKAGES =
      Map.ofEntries(
          Map.entry("ip", "iproute2"),
          Map.entry("tcpdump", "tcpdump"),
          Map.entry("tshark", "tshark"),
          Map.entry("keepalived", "keepalived"),
          Map.entry("socat", "socat"),
          Map.entry("ping", "iputils-ping"),
          Map.entry("curl", "curl"),
          Map.entry("nft", "nftables"),
          Map.entry("arping", "arping"),
          Map.entry("setsid", "util-linux"));

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
