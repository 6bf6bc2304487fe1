package dev.vrrp.lab;

/**
 * The lab cluster's address plan, all inside 198.18.0.0/15 (RFC 2544's benchmarking range, never
 * used outside the lab's namespaces): pods in 198.18.0.0/16, one /24 per node, and Services in
 * 198.19.0.0/24.
 */
public final class ClusterRanges {
  public static final String PODS = "198.18.0.0/16";
  public static final String SERVICES = "198.19.0.0/24";

  /** The {@code kubernetes} Service: the first address of the Service range. */
  public static final String API_SERVICE_IP = "198.19.0.1";

  private ClusterRanges() {}

  /** Node {@code index}'s (0-based) pod range: 198.18.1.0/24, 198.18.2.0/24, ... */
  public static String podsOf(int index) {
    if (index < 0 || index > 253) {
      throw new IllegalArgumentException("the lab has room for 254 nodes, not node " + index);
    }
    return "198.18." + (index + 1) + ".0/24";
  }
}
