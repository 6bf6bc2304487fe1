package dev.vrrp.operator.plan;

import dev.vrrp.api.text.IpLiteral;
import dev.vrrp.api.text.VirtualAddress;
import dev.vrrp.api.vocabulary.Reason;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import java.net.InetAddress;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The nodes' own addresses (each Node's InternalIP and ExternalIP): a VirtualIP naming one is
 * refused with {@code Conflict=True, NodeAddress}, naming the node, and claims nothing, since
 * taking that address would cut the node off. The agents refuse it too, on their own. Pure.
 */
public final class NodeAddresses {
  private record Owner(String node, String type) {}

  private final Map<InetAddress, Owner> owners;

  private NodeAddresses(Map<InetAddress, Owner> owners) {
    this.owners = owners;
  }

  public static NodeAddresses of(Collection<Node> nodes) {
    Map<InetAddress, Owner> owners = new HashMap<>();
    for (Node node : nodes) {
      for (NodeAddress address : own(node)) {
        IpLiteral.tryParse(address.getAddress())
            .ifPresent(
                ip ->
                    owners.putIfAbsent(
                        ip, new Owner(node.getMetadata().getName(), address.getType())));
      }
    }
    return new NodeAddresses(owners);
  }

  /** The conflict for the first address a node owns, or empty. The addresses passed SpecRules. */
  Optional<Conflict> conflict(List<String> addresses) {
    for (String text : addresses) {
      InetAddress ip = VirtualAddress.parse(text).address();
      Owner owner = owners.get(ip);
      if (owner != null) {
        return Optional.of(
            new Conflict(
                Reason.NODE_ADDRESS,
                IpLiteral.format(ip)
                    + " is the "
                    + owner.type()
                    + " of node "
                    + owner.node()
                    + ": a virtual address must not be a node's own; "
                    + "choose a free address"));
      }
    }
    return Optional.empty();
  }

  /** Each node's own address, with the name of its node. */
  public Map<InetAddress, String> nodesByAddress() {
    Map<InetAddress, String> out = new HashMap<>();
    owners.forEach((ip, owner) -> out.put(ip, owner.node()));
    return out;
  }

  /** What of a Node the plan depends on here, as text (for the planner's cache key). */
  static List<String> ownAddresses(Node node) {
    return own(node).stream().map(a -> a.getType() + "=" + a.getAddress()).toList();
  }

  private static List<NodeAddress> own(Node node) {
    if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
      return List.of();
    }
    return node.getStatus().getAddresses().stream()
        .filter(a -> "InternalIP".equals(a.getType()) || "ExternalIP".equals(a.getType()))
        .toList();
  }
}
