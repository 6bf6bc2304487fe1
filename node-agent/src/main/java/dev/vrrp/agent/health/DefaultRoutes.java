package dev.vrrp.agent.health;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads the default routes of this process's network namespace from procfs. Read on every probe: a
 * DHCP renewal or router advertisement may change the gateway at any time, and the files are tiny.
 */
final class DefaultRoutes {
  private static final int RTF_UP = 0x1;
  private static final int RTF_GATEWAY = 0x2;
  private static final int RTF_REJECT =
      0x200; // "unreachable default" entries have no usable gateway

  private final Path ipv4Table;
  private final Path ipv6Table;

  DefaultRoutes() {
    this(Path.of("/proc/net/route"), Path.of("/proc/net/ipv6_route"));
  }

  DefaultRoutes(Path ipv4Table, Path ipv6Table) {
    this.ipv4Table = ipv4Table;
    this.ipv6Table = ipv6Table;
  }

  /**
   * IPv4 routes first, each family in table order. A family the kernel does not run (no file) has
   * none.
   */
  List<DefaultRoute> read() throws IOException {
    List<DefaultRoute> routes =
        new ArrayList<>(parseIpv4(readIfPresent(ipv4Table), ByteOrder.nativeOrder()));
    routes.addAll(parseIpv6(readIfPresent(ipv6Table)));
    return routes;
  }

  String describeSources() {
    return ipv4Table + " and " + ipv6Table;
  }

  /**
   * /proc/net/route: {@code Iface Destination Gateway Flags RefCnt Use Metric Mask ...}, addresses
   * as the hex of a 32-bit number in the kernel's byte order (so 192.0.2.1 reads 010200C0 on x86).
   */
  static List<DefaultRoute> parseIpv4(String table, ByteOrder kernelOrder) {
    List<DefaultRoute> routes = new ArrayList<>();
    for (String line : table.lines().skip(1).toList()) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 8) {
        continue;
      }
      int flags = Integer.parseInt(f[3], 16);
      if (!isDefault(f[1], f[7], flags)) {
        continue;
      }
      byte[] gateway =
          ByteBuffer.allocate(4).order(kernelOrder).putInt((int) Long.parseLong(f[2], 16)).array();
      routes.add(new DefaultRoute(address(gateway), f[0], Long.parseLong(f[6])));
    }
    return routes;
  }

  /**
   * /proc/net/ipv6_route: {@code dest dest_len src src_len next_hop metric refcnt use flags iface},
   * addresses as 32 hex digits in network order, numbers in hex.
   */
  static List<DefaultRoute> parseIpv6(String table) {
    List<DefaultRoute> routes = new ArrayList<>();
    for (String line : table.lines().toList()) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 10) {
        continue;
      }
      int flags = (int) Long.parseLong(f[8], 16);
      if (!isDefault(f[0], f[1], flags)) {
        continue;
      }
      byte[] gateway = HexFormat.of().parseHex(f[4]);
      routes.add(new DefaultRoute(address(gateway), f[9], Long.parseLong(f[5], 16)));
    }
    return routes;
  }

  /** Any destination with an all-zero prefix (mask or length) is a default route. */
  private static boolean isDefault(String destination, String prefix, int flags) {
    return isZero(destination)
        && isZero(prefix)
        && (flags & RTF_UP) != 0
        && (flags & RTF_GATEWAY) != 0
        && (flags & RTF_REJECT) == 0;
  }

  private static boolean isZero(String hex) {
    return hex.chars().allMatch(c -> c == '0');
  }

  private static InetAddress address(byte[] raw) {
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private static String readIfPresent(Path table) throws IOException {
    try {
      return Files.readString(table);
    } catch (NoSuchFileException e) {
      return "";
    }
  }
}
