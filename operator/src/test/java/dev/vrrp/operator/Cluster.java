package dev.vrrp.operator;

import dev.vrrp.api.v1alpha1.NodeEntryPatch;
import dev.vrrp.api.v1alpha1.NodeStatus;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPSpec;
import dev.vrrp.lab.ApiServer;
import dev.vrrp.operator.status.KubernetesEventRecorder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;

/** Test helpers against the real API server: CRD, Nodes, VirtualIPs, agent entries, Events. */
final class Cluster {
  static final Path CRDS = Path.of("..", "crds");

  private Cluster() {}

  /**
   * Installs the checked-in CRDs (generated from the api types: VirtualIPs and pools, which the
   * operator's informers need both) and waits until they are served.
   */
  static void installCrd(KubernetesClient client) {
    for (String name : List.of("virtualips.vrrp.dev-v1.yml", "virtualippools.vrrp.dev-v1.yml")) {
      Path crd = CRDS.resolve(name);
      if (!Files.isRegularFile(crd)) {
        Assertions.fail(
            crd.toAbsolutePath().normalize()
                + " is missing: build the api module (it generates the CRDs)");
      }
      ApiServer.installCrd(client, crd);
    }
  }

  static void createNamespace(KubernetesClient client, String name) {
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
  }

  static Node node(KubernetesClient client, String name, String... labels) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      map.put(labels[i], labels[i + 1]);
    }
    return client
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(map)
                .endMetadata()
                .build())
        .create();
  }

  static VirtualIP vip(String name, Map<String, String> selector, String... addresses) {
    VirtualIP vip = new VirtualIP();
    vip.getMetadata().setName(name);
    VirtualIPSpec spec = new VirtualIPSpec();
    spec.setAddresses(new ArrayList<>(List.of(addresses)));
    spec.setNodeSelector(new LinkedHashMap<>(selector));
    vip.setSpec(spec);
    vip.setStatus(null);
    return vip;
  }

  static VirtualIP create(KubernetesClient client, VirtualIP vip) {
    return client.resource(vip).create();
  }

  static VirtualIP get(KubernetesClient client, String name) {
    return client.resources(VirtualIP.class).withName(name).get();
  }

  static Optional<Condition> condition(VirtualIP vip, String type) {
    if (vip == null || vip.getStatus() == null) {
      return Optional.empty();
    }
    return vip.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }

  static boolean conditionIs(VirtualIP vip, String type, String status, String reason) {
    return condition(vip, type)
        .map(c -> status.equals(c.getStatus()) && (reason == null || reason.equals(c.getReason())))
        .orElse(false);
  }

  /** What an agent does: server-side apply of its own entry under its own field manager. */
  static void report(
      KubernetesClient client,
      String vip,
      String node,
      String state,
      Instant heartbeat,
      Instant since) {
    NodeStatus entry = new NodeStatus();
    entry.setName(node);
    entry.setState(state);
    entry.setPriority(100);
    entry.setEffectivePriority(100);
    entry.setHeartbeatTime(heartbeat.toString());
    entry.setLastTransitionTime(since == null ? null : since.toString());
    NodeEntryPatch.apply(client, NodeEntryPatch.fieldManager(node), vip, entry);
  }

  /** The Events recorded for a VirtualIP. */
  static List<Event> events(KubernetesClient client, String vip) {
    return client
        .v1()
        .events()
        .inNamespace(KubernetesEventRecorder.NAMESPACE)
        .list()
        .getItems()
        .stream()
        .filter(
            e ->
                vip.equals(e.getInvolvedObject().getName())
                    && "VirtualIP".equals(e.getInvolvedObject().getKind()))
        .toList();
  }

  static boolean hasEvent(KubernetesClient client, String vip, String reason) {
    return events(client, vip).stream().anyMatch(e -> reason.equals(e.getReason()));
  }

  static long countEvents(KubernetesClient client, String vip, String reason) {
    return events(client, vip).stream().filter(e -> reason.equals(e.getReason())).count();
  }
}
