package dev.vrrp.agent.keepalived;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An LVS {@code virtual_server IP PORT} block, kept only to print the LoadBalancer Service it would
 * be on Kubernetes: its address, port, protocol and the real servers' ports.
 */
record VirtualServer(
    Word keyword,
    String address,
    int port,
    String protocol,
    List<String> realServers,
    Integer targetPort) {
  /** The block as a virtual server, or null when it is not {@code virtual_server IP PORT}. */
  static VirtualServer read(Statement block) {
    String address = block.arg(0);
    String port = block.arg(1);
    if (address == null || port == null || !port.matches("[0-9]{1,5}")) {
      return null; // fwmark, group: no single address to give a Service
    }
    String protocol = "TCP";
    List<String> reals = new ArrayList<>();
    Integer targetPort = null;
    for (Statement s : block.children()) {
      if (s.keyword().equals("protocol") && s.arg(0) != null) {
        protocol = s.arg(0).toUpperCase(Locale.ROOT);
      } else if (s.keyword().equals("real_server") && s.arg(0) != null) {
        reals.add(s.arg(0) + (s.arg(1) == null ? "" : ":" + s.arg(1)));
        if (targetPort == null && s.arg(1) != null && s.arg(1).matches("[0-9]{1,5}")) {
          targetPort = Integer.parseInt(s.arg(1));
        }
      }
    }
    return new VirtualServer(
        block.words().get(0),
        address,
        Integer.parseInt(port),
        protocol,
        List.copyOf(reals),
        targetPort);
  }
}
