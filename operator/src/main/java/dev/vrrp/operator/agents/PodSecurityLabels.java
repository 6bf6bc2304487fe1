package dev.vrrp.operator.agents;

import dev.vrrp.api.v1alpha1.OperatorManager;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Pod Security labels the agents' namespace needs: the agents use the host's network, a host
 * port, a hostPath and NET_ADMIN, which only the {@code privileged} level admits, so in a namespace
 * that enforces {@code baseline} or {@code restricted} the DaemonSet could create no pod. Applied
 * with server-side apply: only these labels, nothing else of the namespace.
 */
final class PodSecurityLabels {
  static final Map<String, String> PRIVILEGED =
      Map.of(
          "pod-security.kubernetes.io/enforce", "privileged",
          "pod-security.kubernetes.io/audit", "privileged",
          "pod-security.kubernetes.io/warn", "privileged");

  private PodSecurityLabels() {}

  /** Labels {@code namespace}; needs {@code patch} on that one namespace. */
  static void apply(KubernetesClient client, String namespace) {
    Namespace labels =
        new NamespaceBuilder()
            .withNewMetadata()
            .withName(namespace)
            .withLabels(new TreeMap<>(PRIVILEGED))
            .endMetadata()
            .build();
    client
        .namespaces()
        .resource(labels)
        .fieldManager(OperatorManager.NAME)
        .forceConflicts()
        .serverSideApply();
  }
}
