package dev.vrrp.operator.services;

import dev.vrrp.api.v1alpha1.LoadBalancers;
import dev.vrrp.api.v1alpha1.VirtualIPPool;
import dev.vrrp.api.v1alpha1.VirtualIPPoolSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Services and pools as the API server would hand them to the operator. */
public final class TestServices {
  private TestServices() {}

  /** A LoadBalancer Service of our class, IPv4, port TCP/80, with these annotations. */
  public static ServiceBuilder ours(String namespace, String name, String... annotations) {
    ServiceBuilder b =
        new ServiceBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(name)
            .withUid(namespace + "-" + name + "-uid")
            .endMetadata()
            .withNewSpec()
            .withType("LoadBalancer")
            .withLoadBalancerClass(LoadBalancers.CLASS)
            .withIpFamilies("IPv4")
            .withExternalTrafficPolicy("Cluster")
            .addNewPort()
            .withProtocol("TCP")
            .withPort(80)
            .endPort()
            .endSpec();
    for (int i = 0; i < annotations.length; i += 2) {
      b.editMetadata().addToAnnotations(annotations[i], annotations[i + 1]).endMetadata();
    }
    return b;
  }

  static Service service(String namespace, String name, String... annotations) {
    return ours(namespace, name, annotations).build();
  }

  static VirtualIPPool pool(String name, String created, String... blocks) {
    VirtualIPPool pool = new VirtualIPPool();
    pool.getMetadata().setName(name);
    pool.getMetadata().setCreationTimestamp(created);
    VirtualIPPoolSpec spec = new VirtualIPPoolSpec();
    spec.setAddresses(new ArrayList<>(List.of(blocks)));
    pool.setSpec(spec);
    return pool;
  }

  static Map<String, String> labels(String... pairs) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put(pairs[i], pairs[i + 1]);
    }
    return out;
  }
}
