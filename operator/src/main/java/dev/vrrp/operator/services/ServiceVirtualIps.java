package dev.vrrp.operator.services;

import dev.vrrp.api.Problems;
import dev.vrrp.api.text.IpLiteral;
import dev.vrrp.api.text.VirtualAddress;
import dev.vrrp.api.v1alpha1.LoadBalancers;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPPool;
import dev.vrrp.api.v1alpha1.VirtualIPSpec;
import dev.vrrp.operator.plan.NodeAddresses;
import dev.vrrp.operator.services.AddressAllocator.Holding;
import dev.vrrp.operator.services.AddressAllocator.Request;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The VirtualIPs the operator makes for Services: one per address, named after the address, so the
 * API server itself refuses a second VirtualIP for an address whoever tries to create it (a new
 * leader with a cache a moment behind included). Each lists the Services using it (several when
 * they share it) in an annotation. Not as owner references: a cluster-scoped object cannot have a
 * namespaced owner (Kubernetes' garbage collector ignores such a reference), so the operator
 * deletes a VirtualIP itself once no Service it lists exists.
 */
public final class ServiceVirtualIps {
  private static final String PREFIX = "lb-";

  private ServiceVirtualIps() {}

  /** {@code lb-192-0-2-200}; IPv6 written out in full, so the name never ends in a dash. */
  public static String name(InetAddress address) {
    if (address instanceof Inet6Address) {
      byte[] raw = address.getAddress();
      List<String> groups = new ArrayList<>();
      for (int i = 0; i < raw.length; i += 2) {
        groups.add(HexFormat.of().formatHex(raw, i, i + 2));
      }
      return PREFIX + String.join("-", groups);
    }
    return PREFIX + IpLiteral.format(address).replace('.', '-');
  }

  /** The Services (namespace/name) the VirtualIP is for; empty for a VirtualIP of its own. */
  public static List<String> services(VirtualIP vip) {
    Map<String, String> annotations = vip.getMetadata().getAnnotations();
    String list = annotations == null ? null : annotations.get(LoadBalancers.SERVICES_ANNOTATION);
    if (list == null || list.isBlank()) {
      return List.of();
    }
    return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** The address of a Service's VirtualIP. */
  public static Optional<InetAddress> address(VirtualIP vip) {
    if (vip.getSpec() == null || vip.getSpec().getAddresses() == null) {
      return Optional.empty();
    }
    return vip.getSpec().getAddresses().stream()
        .findFirst()
        .flatMap(a -> VirtualAddress.tryParse(a).map(VirtualAddress::address));
  }

  /**
   * The VirtualIP for {@code address} from {@code pool}, for {@code users} (the first names it in
   * its labels): the pool's VRRP settings, the address alone (the agents take the prefix of the
   * interface's subnet that holds it), on {@code nodeNames} (null: every node the pool selects).
   */
  public static VirtualIP build(
      InetAddress address, VirtualIPPool pool, List<Service> users, Set<String> nodeNames) {
    VirtualIP vip = new VirtualIP();
    vip.getMetadata().setName(name(address));
    Service first = users.get(0);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LoadBalancers.SERVICE_NAMESPACE_LABEL, first.getMetadata().getNamespace());
    labels.put(LoadBalancers.SERVICE_NAME_LABEL, first.getMetadata().getName());
    labels.put(LoadBalancers.POOL_LABEL, pool.getMetadata().getName());
    vip.getMetadata().setLabels(labels);
    vip.getMetadata()
        .setAnnotations(
            new LinkedHashMap<>(
                Map.of(
                    LoadBalancers.SERVICES_ANNOTATION,
                    String.join(",", users.stream().map(ServiceRequests::id).toList()))));
    VirtualIPSpec spec = new VirtualIPSpec();
    pool.getSpec().copySettingsTo(spec);
    spec.setAddresses(new ArrayList<>(List.of(IpLiteral.format(address))));
    spec.setNodeNames(nodeNames == null ? null : new ArrayList<>(new TreeSet<>(nodeNames)));
    vip.setSpec(spec);
    vip.setStatus(null);
    return vip;
  }

  /**
   * Every address held now, as the allocator needs it: each Service's VirtualIP once per Service
   * using it (with that Service's sharing key and ports, read from the Service itself), every other
   * VirtualIP's addresses, and every node's own addresses (never handed out).
   *
   * @param services a Service by namespace/name, if it still exists
   */
  public static List<Holding> holdings(
      Collection<VirtualIP> vips,
      Function<String, Optional<Service>> services,
      Collection<Node> nodes) {
    List<Holding> out = new ArrayList<>();
    for (VirtualIP vip : vips) {
      List<String> users = services(vip);
      if (users.isEmpty()) {
        for (String text :
            vip.getSpec() == null ? List.<String>of() : vip.getSpec().getAddresses()) {
          VirtualAddress.tryParse(text)
              .ifPresent(
                  a ->
                      out.add(
                          Holding.other(
                              a.address(), Holding.Kind.VIRTUAL_IP, vip.getMetadata().getName())));
        }
        continue;
      }
      Optional<InetAddress> address = address(vip);
      if (address.isEmpty()) {
        continue;
      }
      for (String user : users) {
        Optional<Service> service = services.apply(user);
        if (service.isEmpty()) {
          // gone, its VirtualIP not yet: it still holds the address, sharing with nobody
          out.add(Holding.ofService(address.get(), user, null, Set.of()));
          continue;
        }
        Request request = ServiceRequests.request(service.get(), new Problems());
        out.add(Holding.ofService(address.get(), user, request.shareKey(), request.ports()));
      }
    }
    NodeAddresses.of(nodes)
        .nodesByAddress()
        .forEach((ip, node) -> out.add(Holding.other(ip, Holding.Kind.NODE, node)));
    return out;
  }
}
