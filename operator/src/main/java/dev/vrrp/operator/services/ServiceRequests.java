package dev.vrrp.operator.services;

import dev.vrrp.api.Problems;
import dev.vrrp.api.text.IpLiteral;
import dev.vrrp.api.v1alpha1.LoadBalancers;
import dev.vrrp.operator.services.AddressAllocator.Request;
import dev.vrrp.packet.IpFamily;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a Service asks of this operator: whether it is ours at all (its type and class), and which
 * addresses it wants (families, annotations, sharing key, ports) as an {@link Request}. Problems
 * with its annotations name the annotation, in the words of its Events.
 */
public final class ServiceRequests {
  static final String ADDRESSES_FIELD =
      "metadata.annotations[" + LoadBalancers.ADDRESSES_ANNOTATION + "]";

  private ServiceRequests() {}

  /**
   * Whether the operator serves the Service: type LoadBalancer with our class, or with no class
   * when {@code defaultClass} (the chart's {@code services.defaultClass}) says so. A Service of
   * another class is never touched.
   */
  public static boolean ours(Service service, boolean defaultClass) {
    if (service.getSpec() == null || !"LoadBalancer".equals(service.getSpec().getType())) {
      return false;
    }
    String cls = service.getSpec().getLoadBalancerClass();
    return cls == null ? defaultClass : LoadBalancers.CLASS.equals(cls);
  }

  /** namespace/name, the Service's name in holdings, annotations and messages. */
  public static String id(Service service) {
    return service.getMetadata().getNamespace() + "/" + service.getMetadata().getName();
  }

  /** The request, with every problem of its annotations recorded (then it asks for nothing). */
  public static Request request(Service service, Problems found) {
    Map<String, String> annotations =
        service.getMetadata().getAnnotations() == null
            ? Map.of()
            : service.getMetadata().getAnnotations();
    List<IpFamily> families = families(service);
    List<InetAddress> explicit =
        explicit(found, annotations.get(LoadBalancers.ADDRESSES_ANNOTATION));
    String pool = blankToNull(annotations.get(LoadBalancers.POOL_ANNOTATION));
    return new Request(
        id(service),
        families,
        explicit,
        pool,
        shareKey(service, blankToNull(annotations.get(LoadBalancers.SHARED_IP_ANNOTATION))),
        ports(service));
  }

  /** The families of spec.ipFamilies (the API server fills it in), IPv4 when it is empty. */
  static List<IpFamily> families(Service service) {
    List<String> asked =
        service.getSpec().getIpFamilies() == null ? List.of() : service.getSpec().getIpFamilies();
    Set<IpFamily> out = new LinkedHashSet<>();
    for (String family : asked) {
      if ("IPv4".equals(family)) {
        out.add(IpFamily.IPV4);
      } else if ("IPv6".equals(family)) {
        out.add(IpFamily.IPV6);
      }
    }
    return out.isEmpty() ? List.of(IpFamily.IPV4) : List.copyOf(out);
  }

  private static List<InetAddress> explicit(Problems found, String text) {
    List<InetAddress> out = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String item : text.split(",")) {
      String trimmed = item.trim();
      Optional<InetAddress> address = IpLiteral.tryParse(trimmed);
      if (address.isEmpty()) {
        found.add(ADDRESSES_FIELD, IpLiteral.problem(trimmed));
      } else {
        out.add(address.get());
      }
    }
    return out;
  }

  /**
   * The sharing key with the rules MetalLB users know folded in: Services share an address only
   * with the same key and the same traffic policy, and with policy Local only when they select the
   * same pods (the address must be on a node that has them).
   */
  static String shareKey(Service service, String key) {
    if (key == null) {
      return null;
    }
    boolean local = local(service);
    if (!local) {
      return key + "|Cluster";
    }
    Map<String, String> selector =
        service.getSpec().getSelector() == null
            ? Map.of()
            : new TreeMap<>(service.getSpec().getSelector());
    return key + "|Local|" + selector;
  }

  /** Whether only nodes with a ready endpoint of the Service may hold its address. */
  static boolean local(Service service) {
    return service.getSpec() != null
        && LoadBalancers.LOCAL_TRAFFIC_POLICY.equals(service.getSpec().getExternalTrafficPolicy());
  }

  /** The Service's ports as PROTOCOL/port (the protocol defaults to TCP). */
  static Set<String> ports(Service service) {
    Set<String> out = new LinkedHashSet<>();
    List<ServicePort> ports =
        service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
    for (ServicePort p : ports) {
      out.add((p.getProtocol() == null ? "TCP" : p.getProtocol()) + "/" + p.getPort());
    }
    return out;
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.trim();
  }
}
