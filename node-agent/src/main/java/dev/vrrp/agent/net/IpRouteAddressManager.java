package dev.vrrp.agent.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Address management through iproute2 ({@code ip -batch}). One process per change keeps a
 * failover at a few milliseconds and leaves the kernel's netlink details to the tool that owns them.
 */
public final class IpRouteAddressManager implements AddressManager {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String ip;

  public IpRouteAddressManager() {
    this("ip");
  }

  public IpRouteAddressManager(String ipCommand) {
    this.ip = ipCommand;
  }

  @Override
  public void add(String interfaceName, List<InterfaceAddress> addresses) throws IOException {
    // "replace" succeeds whether or not the address is already there.
    batch(addresses.stream()
        .map(a -> "address replace " + a + " dev " + interfaceName + (isV6(a) ? " nodad" : ""))
        .toList(), false);
  }

  @Override
  public void remove(String interfaceName, List<InterfaceAddress> addresses) throws IOException {
    List<InterfaceAddress> present = list(interfaceName);
    List<String> commands = new ArrayList<>();
    for (InterfaceAddress a : addresses) {
      present.stream()
          .filter(p -> p.address().equals(a.address()))
          .forEach(p -> commands.add("address del " + p + " dev " + interfaceName));
    }
    batch(commands, true);
  }

  @Override
  public List<InterfaceAddress> list(String interfaceName) throws IOException {
    String out = run(List.of(ip, "-json", "address", "show", "dev", interfaceName), null);
    List<InterfaceAddress> addresses = new ArrayList<>();
    for (JsonNode link : JSON.readTree(out)) {
      for (JsonNode info : link.path("addr_info")) {
        addresses.add(new InterfaceAddress(InetAddress.getByName(info.path("local").asText()),
            info.path("prefixlen").asInt()));
      }
    }
    return addresses;
  }

  private static boolean isV6(InterfaceAddress a) {
    return a.address().getAddress().length == 16;
  }

  private void batch(List<String> commands, boolean force) throws IOException {
    if (commands.isEmpty()) {
      return;
    }
    List<String> argv = new ArrayList<>(List.of(ip));
    if (force) {
      argv.add("-force");
    }
    argv.addAll(List.of("-batch", "-"));
    run(argv, String.join("\n", commands) + "\n");
  }

  private static String run(List<String> argv, String input) throws IOException {
    Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
    if (input != null) {
      process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    }
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", argv) + ": timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (process.exitValue() != 0) {
      throw new IOException(String.join(" ", argv) + " failed: " + out.strip());
    }
    return out;
  }
}
