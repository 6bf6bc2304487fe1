package dev.vrrp.operator.services;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The nodes with a ready endpoint of a Service, read from its EndpointSlices (pure): where
 * kube-proxy delivers traffic for {@code externalTrafficPolicy: Local}. An endpoint without a ready
 * condition counts as ready, as kube-proxy counts it.
 */
final class EndpointNodes {
  /** The label that ties an EndpointSlice to its Service. */
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private EndpointNodes() {}

  /** The names of the nodes with at least one ready endpoint in {@code slices}, sorted. */
  static Set<String> ready(Collection<EndpointSlice> slices) {
    Set<String> nodes = new TreeSet<>();
    for (EndpointSlice slice : slices) {
      for (Endpoint endpoint :
          slice.getEndpoints() == null ? List.<Endpoint>of() : slice.getEndpoints()) {
        EndpointConditions conditions = endpoint.getConditions();
        boolean ready = conditions == null || !Boolean.FALSE.equals(conditions.getReady());
        if (ready && endpoint.getNodeName() != null && !endpoint.getNodeName().isEmpty()) {
          nodes.add(endpoint.getNodeName());
        }
      }
    }
    return nodes;
  }

  /** The Service (name) an EndpointSlice belongs to, or null. */
  static String serviceName(EndpointSlice slice) {
    Map<String, String> labels = slice.getMetadata().getLabels();
    return labels == null ? null : labels.get(SERVICE_NAME_LABEL);
  }

  /**
   * What the informer keeps of a slice: its identity, its Service, and each endpoint's node and
   * readiness (addresses, ports and hints of a large cluster's slices stay out of memory).
   */
  static EndpointSlice slim(EndpointSlice slice) {
    ObjectMeta meta = slice.getMetadata();
    String service = serviceName(slice);
    return new EndpointSliceBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withName(meta.getName())
                .withNamespace(meta.getNamespace())
                .withUid(meta.getUid())
                .withResourceVersion(meta.getResourceVersion())
                .withLabels(service == null ? Map.of() : Map.of(SERVICE_NAME_LABEL, service))
                .build())
        .withAddressType(slice.getAddressType())
        .withEndpoints(
            (slice.getEndpoints() == null ? List.<Endpoint>of() : slice.getEndpoints())
                .stream()
                    .map(
                        e ->
                            new EndpointBuilder()
                                .withNodeName(e.getNodeName())
                                .withConditions(e.getConditions())
                                .build())
                    .toList())
        .build();
  }
}
