package dev.vrrp.agent.kubernetes;

import dev.vrrp.agent.config.CheckMapping;
import dev.vrrp.agent.config.CheckSettings;
import dev.vrrp.agent.config.InstanceSettings;
import dev.vrrp.api.Problem;
import dev.vrrp.api.Problems;
import dev.vrrp.api.text.IpLiteral;
import dev.vrrp.api.text.VirtualAddress;
import dev.vrrp.api.v1alpha1.Authentication;
import dev.vrrp.api.v1alpha1.NodePriority;
import dev.vrrp.api.v1alpha1.SpecRules;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPSpec;
import dev.vrrp.api.v1alpha1.VirtualIPStatus;
import dev.vrrp.api.vocabulary.ConditionStatus;
import dev.vrrp.api.vocabulary.ConditionType;
import dev.vrrp.api.vocabulary.NodeState;
import dev.vrrp.api.vocabulary.Reason;
import dev.vrrp.packet.IpFamily;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What this node should run for one VirtualIP: the instance settings, or why not. The operator's
 * plan in the status decides where (VRID, the nodes and their priorities); the spec, judged by
 * {@link SpecRules} and mapped straight to {@link InstanceSettings}, decides how. Pure: what lies
 * outside the VirtualIP (routes, Secrets, Nodes) comes through {@link Lookups} and {@link
 * NodeView}.
 */
public final class InstancePlan {

  /**
   * Run the instance, don't (the VirtualIP is not planned here: no entry), or cannot although it is
   * planned here (a FAULT entry saying why).
   */
  public enum Verdict {
    RUN,
    NOT_HERE,
    FAULT
  }

  /**
   * @param settings what to run (RUN only)
   * @param reason why not (NOT_HERE, FAULT)
   * @param highest whether this node has the highest planned priority (it should become master)
   */
  public record Decision(
      Verdict verdict, InstanceSettings settings, String reason, boolean highest, Reason code) {
    static Decision notHere(String reason) {
      return new Decision(Verdict.NOT_HERE, null, reason, false, null);
    }

    static Decision fault(Reason code, String reason) {
      return new Decision(Verdict.FAULT, null, reason, false, code);
    }

    public boolean runs() {
      return verdict == Verdict.RUN;
    }
  }

  /** A Secret's value, or why there is none to use (missing, forbidden, unreadable). */
  public record SecretValue(String value, String problem) {
    public static SecretValue of(String value) {
      return new SecretValue(value, null);
    }

    public static SecretValue unusable(String problem) {
      return new SecretValue(null, problem);
    }
  }

  /** Looks things up outside the VirtualIP: the interface for an address, Secret values. */
  public interface Lookups {
    Optional<String> interfaceFor(String address);

    SecretValue secret(String namespace, String name, String key);
  }

  /** The cluster's Nodes as the agent's informer holds them. */
  public interface NodeView {
    Optional<Node> node(String name);

    Collection<Node> nodes();
  }

  private InstancePlan() {}

  /**
   * Whether no node has reported the VirtualIP yet (no entry, no master): then no node holds it,
   * and the node planned highest may claim it after one advertisement interval instead of three
   * ({@link dev.vrrp.engine.Event.Startup#claim}). A restarted agent finds its own and the others'
   * entries and waits the full interval, so a master that took over without preemption keeps the
   * address.
   */
  public static boolean unreported(VirtualIP vip) {
    var status = vip == null ? null : vip.getStatus();
    return status != null && status.getNodes().isEmpty() && status.getMaster() == null;
  }

  /**
   * Whether no node of the VirtualIP has held its addresses yet: no master now, none before ({@code
   * lastFailoverTime}), no entry saying MASTER. Then the first master asks the segment whether
   * another host uses them before it takes them.
   */
  public static boolean neverHeld(VirtualIP vip) {
    var status = vip == null ? null : vip.getStatus();
    return status != null
        && status.getMaster() == null
        && status.getLastFailoverTime() == null
        && status.getNodes().stream().noneMatch(e -> NodeState.MASTER.is(e.getState()));
  }

  public static Decision decide(VirtualIP vip, String nodeName, NodeView nodes, Lookups lookups) {
    if (vip.getMetadata().getDeletionTimestamp() != null) {
      return Decision.notHere("VirtualIP is being deleted");
    }
    VirtualIPStatus status = vip.getStatus();
    if (status == null || status.getVirtualRouterId() == null) {
      return Decision.notHere("waiting for the operator to allocate a VRID");
    }
    if (status.getConditions().stream()
        .anyMatch(
            c ->
                ConditionType.CONFLICT.is(c.getType()) && ConditionStatus.TRUE.is(c.getStatus()))) {
      return Decision.notHere("Conflict: the operator refused to install this VirtualIP");
    }
    Optional<NodePriority> mine =
        status.getPriorities().stream().filter(p -> nodeName.equals(p.getNode())).findFirst();
    if (mine.isEmpty()) {
      return Decision.notHere("this node is not selected");
    }
    VirtualIPSpec spec = vip.getSpec();
    List<Problem> problems = SpecRules.problems(spec);
    if (!problems.isEmpty()) {
      return Decision.fault(
          Reason.INVALID_SPEC,
          problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
    }
    int version = spec.getVersion() == null ? VirtualIPSpec.DEFAULT_VERSION : spec.getVersion();
    Problems found = new Problems();
    List<VirtualAddress> addresses =
        SpecRules.addresses(found, "spec.addresses", spec.getAddresses(), version);
    Optional<String> ownedByANode = nodeAddress(addresses, nodes);
    if (ownedByANode.isPresent()) {
      return Decision.fault(Reason.NODE_ADDRESS, ownedByANode.get());
    }
    String iface = spec.getInterfaceName();
    if (iface == null || iface.isBlank()) {
      String first = IpLiteral.format(addresses.get(0).address());
      Optional<String> found0 = lookups.interfaceFor(first);
      if (found0.isEmpty()) {
        return Decision.fault(
            Reason.NO_ROUTE, "no route to " + first + " on this node: set spec.interface");
      }
      iface = found0.get();
    }
    String password = null;
    Authentication auth = spec.getAuthentication();
    if (auth != null) {
      password = auth.getPassword();
      if (password == null) {
        Authentication.SecretKeyRef ref = auth.getPasswordSecretRef();
        String secret =
            "spec.authentication.passwordSecretRef: Secret "
                + ref.getNamespace()
                + "/"
                + ref.getName()
                + " key "
                + ref.getKey();
        SecretValue value = lookups.secret(ref.getNamespace(), ref.getName(), ref.getKey());
        if (value.problem() != null) {
          return Decision.fault(Reason.SECRET_UNUSABLE, secret + ": " + value.problem());
        }
        Problems bad = new Problems();
        SpecRules.password(bad, "value", value.value());
        if (!bad.isEmpty()) {
          return Decision.fault(
              Reason.SECRET_UNUSABLE,
              secret
                  + ": the password "
                  + bad.list().get(0).message()
                  + " (VRRPv2 carries 1-8 characters)");
        }
        password = value.value();
      }
    }
    List<InetAddress> peers = new ArrayList<>();
    if (Boolean.TRUE.equals(spec.getUnicast())) {
      boolean v6 = addresses.get(0).family() == IpFamily.IPV6;
      for (NodePriority other : status.getPriorities()) {
        if (!other.getNode().equals(nodeName)) {
          internalAddress(nodes.node(other.getNode()).orElse(null), v6)
              .flatMap(IpLiteral::tryParse)
              .ifPresent(peers::add);
        }
      }
    }
    List<CheckSettings> track = new ArrayList<>();
    for (int i = 0; i < spec.getTrack().size(); i++) {
      track.add(CheckMapping.settings(spec.getTrack().get(i), iface, i));
    }
    boolean highest =
        status.getPriorities().stream()
            .allMatch(p -> p.getPriority() == null || p.getPriority() <= mine.get().getPriority());
    InstanceSettings settings =
        InstanceSettings.builder()
            .name(vip.getMetadata().getName())
            .interfaceName(iface)
            .virtualRouterId(status.getVirtualRouterId())
            .priority(mine.get().getPriority())
            .version(version)
            .advertisementInterval(
                SpecRules.interval(
                    found, "spec.advertisementInterval", version, spec.getAdvertisementInterval()))
            .preempt(SpecRules.preempt(spec.getPreempt()))
            .preemptDelay(
                SpecRules.preemptDelay(found, "spec.preemptDelay", spec.getPreemptDelay()))
            .addresses(addresses)
            .password(password)
            .unicastPeers(peers)
            .track(track)
            .build();
    return new Decision(Verdict.RUN, settings, null, highest, null);
  }

  /**
   * Defence in depth (the operator refuses such a VirtualIP too): an address that is some Node's
   * InternalIP or ExternalIP is that node's, and taking it would cut the node off.
   */
  static Optional<String> nodeAddress(List<VirtualAddress> addresses, NodeView nodes) {
    for (Node node : nodes.nodes()) {
      if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
        continue;
      }
      for (NodeAddress own : node.getStatus().getAddresses()) {
        if (!"InternalIP".equals(own.getType()) && !"ExternalIP".equals(own.getType())) {
          continue;
        }
        Optional<InetAddress> parsed = IpLiteral.tryParse(own.getAddress());
        for (VirtualAddress vip : addresses) {
          if (parsed.isPresent() && parsed.get().equals(vip.address())) {
            return Optional.of(
                "spec.addresses: "
                    + IpLiteral.format(vip.address())
                    + " is the "
                    + own.getType()
                    + " of node "
                    + node.getMetadata().getName()
                    + "; a virtual address must not be a node's own");
          }
        }
      }
    }
    return Optional.empty();
  }

  static Optional<String> internalAddress(Node node, boolean v6) {
    if (node == null || node.getStatus() == null) {
      return Optional.empty();
    }
    List<NodeAddress> addresses = node.getStatus().getAddresses();
    return addresses.stream()
        .filter(a -> "InternalIP".equals(a.getType()))
        .map(NodeAddress::getAddress)
        .filter(a -> IpLiteral.looksLikeIpv6(a) == v6)
        .findFirst();
  }

  /** The instance is running the same configuration except, at most, its advertisement interval. */
  static boolean onlyIntervalDiffers(InstanceSettings a, InstanceSettings b) {
    return !a.equals(b) && a.equals(b.withAdvertisementInterval(a.advertisementInterval()));
  }

  /** Whether the operator's plan gave the node another priority and nothing else changed. */
  static boolean onlyPriorityDiffers(InstanceSettings a, InstanceSettings b) {
    return !a.equals(b) && a.equals(b.withPriority(a.priority()));
  }
}
