package dev.vrrp.agent.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vrrp.agent.config.ConfigException;
import dev.vrrp.agent.config.ConfigLoader;
import dev.vrrp.agent.config.InstanceSettings;
import dev.vrrp.api.v1alpha1.HealthCheck;
import dev.vrrp.api.v1alpha1.NodePriority;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What this node should run for one VirtualIP: the instance settings, or why nothing. The
 * operator's plan in the status decides (VRID, the nodes and their priorities); the spec is turned
 * into the standalone config format and validated by the same {@link ConfigLoader}, so both modes
 * mean exactly the same thing.
 */
public final class InstancePlan {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Either settings to run, or a reason not to run (null settings).
   *
   * @param highest whether this node has the highest planned priority (it should become master)
   */
  public record Decision(InstanceSettings settings, String reason, boolean highest) {
    static Decision skip(String reason) {
      return new Decision(null, reason, false);
    }
  }

  /** Looks things up outside the VirtualIP: interface for an address, Secret values. */
  public interface Lookups {
    Optional<String> interfaceFor(String address);

    Optional<String> secret(String namespace, String name, String key);
  }

  private InstancePlan() {}

  /**
   * Whether no node has reported the VirtualIP yet (no entry, no master): then no node holds it, and
   * the node planned highest may claim it after one advertisement interval instead of three
   * ({@link dev.vrrp.engine.Event.Startup#claim}). A restarted agent finds its own and the others'
   * entries and waits the full interval, so a master that took over without preemption keeps the
   * address.
   */
  public static boolean unreported(VirtualIP vip) {
    var status = vip == null ? null : vip.getStatus();
    return status != null && status.getNodes().isEmpty() && status.getMaster() == null;
  }

  public static Decision decide(VirtualIP vip, String nodeName, Function<String, Node> nodes, Lookups lookups) {
    if (vip.getMetadata().getDeletionTimestamp() != null) {
      return Decision.skip("VirtualIP is being deleted");
    }
    var status = vip.getStatus();
    if (status == null || status.getVirtualRouterId() == null) {
      return Decision.skip("waiting for the operator to allocate a VRID");
    }
    if (status.getConditions().stream().anyMatch(InstancePlan::conflict)) {
      return Decision.skip("Conflict: the operator refused to install this VirtualIP");
    }
    Optional<NodePriority> mine = status.getPriorities().stream()
        .filter(p -> nodeName.equals(p.getNode())).findFirst();
    if (mine.isEmpty()) {
      return Decision.skip("this node is not selected");
    }
    VirtualIPSpec spec = vip.getSpec();
    ObjectNode instance = JSON.createObjectNode();
    instance.put("name", vip.getMetadata().getName());
    String iface = spec.getInterfaceName();
    if (iface == null || iface.isBlank()) {
      String first = spec.getAddresses().isEmpty() ? "" : spec.getAddresses().get(0).split("/")[0];
      Optional<String> found = lookups.interfaceFor(first);
      if (found.isEmpty()) {
        return Decision.skip("no route to " + first + " on this node: set spec.interface");
      }
      iface = found.get();
    }
    instance.put("interface", iface);
    instance.put("virtualRouterId", status.getVirtualRouterId());
    instance.put("priority", mine.get().getPriority());
    instance.put("version", spec.getVersion() == null ? 3 : spec.getVersion());
    instance.put("advertisementInterval", spec.getAdvertisementInterval());
    instance.put("preempt", spec.getPreempt() == null || spec.getPreempt());
    instance.put("preemptDelay", spec.getPreemptDelay());
    ArrayNode addresses = instance.putArray("addresses");
    spec.getAddresses().forEach(addresses::add);
    if (spec.getAuthentication() != null) {
      var auth = spec.getAuthentication();
      String password = auth.getPassword();
      if (password == null && auth.getPasswordSecretRef() != null) {
        var ref = auth.getPasswordSecretRef();
        Optional<String> value = lookups.secret(ref.getNamespace(), ref.getName(), ref.getKey());
        if (value.isEmpty()) {
          return Decision.skip("Secret " + ref.getNamespace() + "/" + ref.getName() + " key " + ref.getKey()
              + " not found");
        }
        password = value.get();
      }
      instance.putObject("authentication").put("type", "PASS").put("password", password);
    }
    if (Boolean.TRUE.equals(spec.getUnicast())) {
      boolean v6 = spec.getAddresses().stream().anyMatch(a -> a.contains(":"));
      ArrayNode peers = instance.putArray("unicastPeers");
      for (NodePriority other : status.getPriorities()) {
        if (!other.getNode().equals(nodeName)) {
          internalAddress(nodes.apply(other.getNode()), v6).ifPresent(peers::add);
        }
      }
    }
    ArrayNode track = instance.putArray("track");
    for (HealthCheck check : spec.getTrack()) {
      track.add(check(check));
    }
    ObjectNode root = JSON.createObjectNode();
    root.putArray("instances").add(instance);
    try {
      boolean highest = status.getPriorities().stream().allMatch(p -> p.getPriority() == null
          || p.getPriority() <= mine.get().getPriority());
      return new Decision(ConfigLoader.parse(root.toString()).instances().get(0), null, highest);
    } catch (ConfigException e) {
      return Decision.skip(String.join("; ", e.problems()).replace("instances[0].", "spec."));
    }
  }

  private static ObjectNode check(HealthCheck check) {
    ObjectNode node = JSON.valueToTree(check);
    node.remove("command");
    if (!check.getCommand().isEmpty()) {
      ArrayNode command = node.putArray("command");
      check.getCommand().forEach(command::add);
    }
    List.of("name", "url", "address", "interface", "interval", "timeout", "fall", "rise", "weight")
        .forEach(field -> {
          if (node.path(field).isNull()) {
            node.remove(field);
          }
        });
    return node;
  }

  static Optional<String> internalAddress(Node node, boolean v6) {
    if (node == null || node.getStatus() == null) {
      return Optional.empty();
    }
    List<NodeAddress> addresses = node.getStatus().getAddresses();
    return addresses.stream()
        .filter(a -> "InternalIP".equals(a.getType()))
        .map(NodeAddress::getAddress)
        .filter(a -> a.contains(":") == v6)
        .findFirst();
  }

  private static boolean conflict(Condition condition) {
    return "Conflict".equals(condition.getType()) && "True".equals(condition.getStatus());
  }

  /** The instance is running the same configuration except, at most, its advertisement interval. */
  static boolean onlyIntervalDiffers(InstanceSettings a, InstanceSettings b) {
    return !a.equals(b) && a.equals(b.withAdvertisementInterval(a.advertisementInterval()));
  }


}
