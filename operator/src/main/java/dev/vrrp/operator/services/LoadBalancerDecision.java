package dev.vrrp.operator.services;

import dev.vrrp.api.Problem;
import dev.vrrp.api.Problems;
import dev.vrrp.api.text.IpLiteral;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.vocabulary.EventType;
import dev.vrrp.api.vocabulary.Reason;
import dev.vrrp.operator.services.AddressAllocator.Pool;
import dev.vrrp.operator.services.AddressAllocator.Request;
import dev.vrrp.operator.services.AddressAllocator.Result;
import dev.vrrp.operator.status.StatusAggregator.Notice;
import dev.vrrp.packet.IpFamily;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What to do for one Service, decided from what the API holds (pure): which VirtualIPs to create,
 * which existing ones it joins (a shared address) or leaves, what its {@code
 * status.loadBalancer.ingress} says, and the Event that explains it.
 *
 * @param create VirtualIPs for addresses nobody holds yet
 * @param join names of VirtualIPs of a shared address the Service starts using
 * @param leave names of VirtualIPs the Service stops using (deleted when nobody uses them)
 * @param ingress the addresses a node is master of, for the Service's status; empty when the
 *     Service is not (or no longer) ours
 * @param writeIngress whether the Service's status is ours to write
 * @param notice the Event, if the outcome is news
 * @param nodes changes to the nodes the Service's VirtualIPs may use ({@link NodeHandover})
 * @param handingOver whether a master waits for a new node to report (look again soon)
 */
public record LoadBalancerDecision(
    List<VirtualIP> create,
    List<String> join,
    List<String> leave,
    List<LoadBalancerIngress> ingress,
    boolean writeIngress,
    Optional<Notice> notice,
    List<NodesChange> nodes,
    boolean handingOver) {

  /** A new {@code spec.nodeNames} (and handover mark) for the VirtualIP {@code name}. */
  public record NodesChange(String name, NodeHandover.Step step) {}

  /** What the Service's status says of an address a node holds: ipMode VIP (traffic to it). */
  static final String IP_MODE = "VIP";

  /**
   * What the decision reads.
   *
   * @param services a Service by namespace/name, if it exists
   * @param readyNodes the nodes with a ready endpoint of a Service, by namespace/name
   */
  public record Inputs(
      PoolCatalog pools,
      Map<String, String> namespaceLabels,
      Collection<VirtualIP> virtualIps,
      Function<String, Optional<Service>> services,
      Collection<Node> nodes,
      Function<String, Set<String>> readyNodes,
      Instant now) {}

  public static LoadBalancerDecision decide(Service service, boolean defaultClass, Inputs in) {
    String id = ServiceRequests.id(service);
    List<VirtualIP> mine =
        in.virtualIps().stream().filter(v -> ServiceVirtualIps.services(v).contains(id)).toList();
    if (service.getMetadata().getDeletionTimestamp() != null
        || !ServiceRequests.ours(service, defaultClass)) {
      // not (or no longer) ours: give up what it holds; its status is ours to clear only if it
      // held something of ours
      return new LoadBalancerDecision(
          List.of(),
          List.of(),
          names(mine),
          List.of(),
          !mine.isEmpty(),
          Optional.empty(),
          List.of(),
          false);
    }
    Problems found = new Problems();
    Request request = ServiceRequests.request(service, found);
    if (!found.isEmpty()) {
      // keep what it has until the annotation is fixed: a typo must not drop its addresses
      return keeping(
          service,
          mine,
          Reason.INVALID_ANNOTATION,
          found.list().stream().map(Problem::toString).collect(Collectors.joining("; ")));
    }
    List<Pool> admitted = in.pools().admitting(service, in.namespaceLabels());
    Result result =
        AddressAllocator.allocate(
            request,
            admitted,
            ServiceVirtualIps.holdings(in.virtualIps(), in.services(), in.nodes()));
    if (result instanceof Result.Refused refused) {
      return keeping(
          service, mine, Reason.ADDRESS_PENDING, "no address for the Service: " + refused.reason());
    }
    List<InetAddress> addresses = ((Result.Assigned) result).addresses();
    List<VirtualIP> create = new ArrayList<>();
    List<String> join = new ArrayList<>();
    List<VirtualIP> using = new ArrayList<>();
    for (InetAddress address : addresses) {
      String name = ServiceVirtualIps.name(address);
      Optional<VirtualIP> existing =
          in.virtualIps().stream().filter(v -> v.getMetadata().getName().equals(name)).findFirst();
      if (existing.isEmpty()) {
        Pool pool = admitted.stream().filter(p -> p.contains(address)).findFirst().orElseThrow();
        create.add(
            ServiceVirtualIps.build(
                address,
                in.pools().entry(pool.name()).orElseThrow().pool(),
                List.of(service),
                wanted(service, List.of(), in)));
      } else {
        using.add(existing.get());
        if (!ServiceVirtualIps.services(existing.get()).contains(id)) {
          join.add(name);
        }
      }
    }
    List<String> keep = addresses.stream().map(ServiceVirtualIps::name).toList();
    List<String> leave = names(mine).stream().filter(n -> !keep.contains(n)).toList();
    List<NodesChange> nodes = new ArrayList<>();
    boolean handingOver = false;
    for (VirtualIP vip : using) {
      Optional<NodeHandover.Step> step =
          NodeHandover.next(vip, wanted(service, ServiceVirtualIps.services(vip), in), in.now());
      step.ifPresent(st -> nodes.add(new NodesChange(vip.getMetadata().getName(), st)));
      handingOver |=
          step.map(st -> st.handoverSince() != null).orElse(NodeHandover.since(vip).isPresent());
    }
    Optional<Notice> notice =
        create.isEmpty() && join.isEmpty()
            ? noEndpoints(service, addresses, in)
            : Optional.of(
                new Notice(
                    EventType.NORMAL,
                    Reason.ADDRESS_ASSIGNED,
                    "assigned "
                        + addresses.stream()
                            .map(IpLiteral::format)
                            .collect(Collectors.joining(", "))
                        + " (VirtualIP "
                        + String.join(", ", keep)
                        + ")"));
    return new LoadBalancerDecision(
        create, join, leave, ingress(service, using), true, notice, nodes, handingOver);
  }

  /**
   * The nodes a VirtualIP of {@code service} may use: null (every node) unless every Service using
   * it is {@code externalTrafficPolicy: Local} (sharing allows that only with the same pods); then
   * the nodes with a ready endpoint of any of them.
   *
   * @param users the other Services using it (namespace/name)
   */
  private static Set<String> wanted(Service service, List<String> users, Inputs in) {
    String id = ServiceRequests.id(service);
    if (!ServiceRequests.local(service)) {
      return null;
    }
    Set<String> nodes = new TreeSet<>(in.readyNodes().apply(id));
    for (String user : users) {
      if (user.equals(id)) {
        continue;
      }
      Optional<Service> other = in.services().apply(user);
      if (other.isEmpty()) {
        continue;
      }
      if (!ServiceRequests.local(other.get())) {
        return null;
      }
      nodes.addAll(in.readyNodes().apply(user));
    }
    return nodes;
  }

  /** The Warning for a Local Service with no ready endpoint: no node may hold its addresses. */
  private static Optional<Notice> noEndpoints(
      Service service, List<InetAddress> addresses, Inputs in) {
    if (!ServiceRequests.local(service)
        || !in.readyNodes().apply(ServiceRequests.id(service)).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Notice(
            EventType.WARNING,
            Reason.NO_READY_ENDPOINTS,
            "no node has a ready endpoint of the Service (externalTrafficPolicy Local): no node"
                + " holds "
                + addresses.stream().map(IpLiteral::format).collect(Collectors.joining(", "))
                + "; the address stays the Service's"));
  }

  /** Nothing changes, the Service keeps what it has, and a Warning says why. */
  private static LoadBalancerDecision keeping(
      Service service, List<VirtualIP> mine, Reason reason, String message) {
    return new LoadBalancerDecision(
        List.of(),
        List.of(),
        List.of(),
        ingress(service, mine),
        true,
        Optional.of(new Notice(EventType.WARNING, reason, message)),
        List.of(),
        false);
  }

  /**
   * The Service's ingress: each of its VirtualIPs that a node is master of, in the order of the
   * Service's families.
   */
  static List<LoadBalancerIngress> ingress(Service service, List<VirtualIP> vips) {
    List<LoadBalancerIngress> out = new ArrayList<>();
    for (var family : ServiceRequests.families(service)) {
      for (VirtualIP vip : vips) {
        Optional<InetAddress> address = ServiceVirtualIps.address(vip);
        boolean mastered = vip.getStatus() != null && vip.getStatus().getMaster() != null;
        if (address.isPresent() && IpFamily.of(address.get()) == family && mastered) {
          out.add(
              new LoadBalancerIngressBuilder()
                  .withIp(IpLiteral.format(address.get()))
                  .withIpMode(IP_MODE)
                  .build());
        }
      }
    }
    return out;
  }

  private static List<String> names(List<VirtualIP> vips) {
    return vips.stream().map(v -> v.getMetadata().getName()).toList();
  }
}
