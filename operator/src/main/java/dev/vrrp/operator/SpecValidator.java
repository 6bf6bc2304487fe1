package dev.vrrp.operator;

import dev.vrrp.api.v1alpha1.NodePriority;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPSpec;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the CRD schema and its CEL rules cannot reject at admission, or what a CRD installed
 * without them would let through. A VirtualIP that fails here is not installed and claims
 * nothing (no address, no VRID); its Ready condition says why. Pure.
 */
public final class SpecValidator {
  public static final String REASON = "InvalidSpec";
  private static final Pattern IPV4 = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

  private SpecValidator() {}

  /** The first problem, phrased with the field path, or empty when the spec is usable. */
  public static Optional<String> problem(VirtualIP vip) {
    VirtualIPSpec spec = vip.getSpec();
    if (spec == null) {
      return Optional.of("spec is missing");
    }
    if (spec.getAddresses() == null || spec.getAddresses().isEmpty()) {
      return Optional.of("spec.addresses: at least one address is required");
    }
    Set<String> seen = new HashSet<>();
    for (String address : spec.getAddresses()) {
      String canonical = AddressFamily.canonical(address);
      if (!canonical.contains(":") && !IPV4.matcher(canonical).matches()) {
        return Optional.of("spec.addresses: '" + address + "' is not an IP address");
      }
      if (!seen.add(canonical)) {
        return Optional.of("spec.addresses: " + canonical + " is listed twice");
      }
    }
    boolean v6 = spec.getAddresses().stream().anyMatch(a -> a.contains(":"));
    boolean v4 = spec.getAddresses().stream().anyMatch(a -> !a.contains(":"));
    if (v4 && v6) {
      return Optional.of("spec.addresses: mixes IPv4 and IPv6; use one VirtualIP per family");
    }
    Set<String> nodes = new HashSet<>();
    if (spec.getPriorities() != null) {
      for (NodePriority p : spec.getPriorities()) {
        if (p.getNode() == null || p.getNode().isBlank()) {
          return Optional.of("spec.priorities: node is required");
        }
        if (p.getPriority() == null || p.getPriority() < 1 || p.getPriority() > 254) {
          return Optional.of("spec.priorities[" + p.getNode() + "]: priority must be 1-254");
        }
        if (!nodes.add(p.getNode())) {
          return Optional.of("spec.priorities: node " + p.getNode() + " is listed twice");
        }
      }
    }
    Integer vrid = spec.getVirtualRouterId();
    if (vrid != null && (vrid < VridAllocator.MIN_VRID || vrid > VridAllocator.MAX_VRID)) {
      return Optional.of("spec.virtualRouterId: must be 1-255, got " + vrid);
    }
    return Optional.empty();
  }
}
