package dev.vrrp.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vrrp.api.kube.RealApiServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The status ownership the design rests on, on a real kube-apiserver: each agent
 * server-side-applies only its own {@code status.nodes[name=...]} entry with its own field manager,
 * the operator applies the summary, all at the same time, and nobody's entry is ever lost.
 */
@Tag("integration")
class StatusServerSideApplyIT {
  @RegisterExtension static final RealApiServer API = new RealApiServer();

  private static final List<String> NODES = List.of("node-a", "node-b", "node-c");
  private static final int ROUNDS = 50;

  @BeforeAll
  static void installCrd() {
    API.installCrd();
  }

  @Test
  void concurrentAgentsAndOperatorNeverClobberEachOther() throws Exception {
    String name = create("ssa-concurrent");
    List<Runnable> writers = new ArrayList<>();
    List<KubernetesClient> clients = new ArrayList<>();
    for (int n = 0; n < NODES.size(); n++) {
      String node = NODES.get(n);
      int priority = 200 - 50 * n;
      KubernetesClient agent = API.newClient(); // one client per agent, as on separate nodes
      clients.add(agent);
      writers.add(
          () -> {
            for (int round = 0; round < ROUNDS; round++) {
              int r = round;
              applyStatus(
                  agent,
                  name,
                  NodeEntryPatch.fieldManager(node),
                  status ->
                      status.setNodes(
                          List.of(
                              nodeStatus(node, r % 2 == 0 ? "BACKUP" : "MASTER", priority, r))));
            }
          });
    }
    KubernetesClient operator = API.newClient();
    clients.add(operator);
    writers.add(
        () -> {
          for (int round = 0; round < ROUNDS; round++) {
            int r = round;
            applyStatus(
                operator,
                name,
                OperatorManager.NAME,
                status -> operatorSummary(status, "node-a", r));
          }
        });

    try {
      runTogether(writers);
    } finally {
      clients.forEach(KubernetesClient::close);
    }

    VirtualIPStatus status =
        API.client().resources(VirtualIP.class).withName(name).get().getStatus();
    assertThat(status.getNodes())
        .extracting(NodeStatus::getName)
        .containsExactlyInAnyOrderElementsOf(NODES);
    assertThat(status.getNodes())
        .allSatisfy(
            node -> {
              assertThat(node.getTransitions())
                  .as("%s's last write", node.getName())
                  .isEqualTo(ROUNDS - 1L);
              assertThat(node.getState()).isEqualTo((ROUNDS - 1) % 2 == 0 ? "BACKUP" : "MASTER");
            });
    assertThat(status.getMaster()).isEqualTo("node-a");
    assertThat(status.getTransitions()).isEqualTo(ROUNDS - 1L);
    assertThat(status.getConditions()).extracting(Condition::getType).containsExactly("Ready");
    assertThat(managers(name))
        .contains(
            OperatorManager.NAME,
            NodeEntryPatch.fieldManager("node-a"),
            NodeEntryPatch.fieldManager("node-b"),
            NodeEntryPatch.fieldManager("node-c"));
  }

  @Test
  void operatorSummaryLeavesTheAgentsEntriesAlone() {
    String name = create("ssa-operator");
    for (String node : NODES) {
      applyStatus(
          API.client(),
          name,
          NodeEntryPatch.fieldManager(node),
          s -> s.setNodes(List.of(nodeStatus(node, "BACKUP", 100, 1))));
    }

    applyStatus(API.client(), name, OperatorManager.NAME, s -> operatorSummary(s, "node-b", 1));
    // the operator's next apply drops a condition and the master: only its own fields go
    applyStatus(
        API.client(),
        name,
        OperatorManager.NAME,
        s -> {
          s.setReady("0/3");
          s.setConditions(
              List.of(condition("Ready", "False", "NoMaster", "no node holds the addresses")));
        });

    VirtualIPStatus status =
        API.client().resources(VirtualIP.class).withName(name).get().getStatus();
    assertThat(status.getNodes())
        .extracting(NodeStatus::getName)
        .containsExactlyInAnyOrderElementsOf(NODES);
    assertThat(status.getMaster()).isNull();
    assertThat(status.getReady()).isEqualTo("0/3");
    assertThat(status.getConditions())
        .singleElement()
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
  }

  @Test
  void anAgentCannotOverwriteAnotherNodesEntry() {
    String name = create("ssa-conflict");
    applyStatus(
        API.client(),
        name,
        NodeEntryPatch.fieldManager("node-a"),
        s -> s.setNodes(List.of(nodeStatus("node-a", "MASTER", 200, 1))));

    KubernetesClientException e =
        catchThrowableOfType(
            KubernetesClientException.class,
            () ->
                applyStatus(
                    API.client(),
                    name,
                    NodeEntryPatch.fieldManager("node-b"),
                    s -> s.setNodes(List.of(nodeStatus("node-a", "FAULT", 200, 2)))));

    assertThat(e).isNotNull();
    assertThat(e.getCode()).isEqualTo(409);
    assertThat(e.getStatus().getMessage()).contains(NodeEntryPatch.fieldManager("node-a"));
    assertThat(API.client().resources(VirtualIP.class).withName(name).get().getStatus().getNodes())
        .singleElement()
        .satisfies(n -> assertThat(n.getState()).isEqualTo("MASTER"));
  }

  private static String create(String prefix) {
    String name = prefix + "-" + Long.toHexString(System.nanoTime());
    VirtualIP vip = new VirtualIP();
    vip.getMetadata().setName(name);
    VirtualIPSpec spec = new VirtualIPSpec();
    spec.setAddresses(List.of("192.0.2.10/24"));
    vip.setSpec(spec);
    vip.setStatus(null);
    API.client().resource(vip).create();
    return name;
  }

  /**
   * Server-side apply to the status subresource with only what {@code fill} sets: the lists the
   * Java type initializes empty are cleared first, so a writer never claims fields it does not own.
   */
  private static void applyStatus(
      KubernetesClient client, String name, String manager, Consumer<VirtualIPStatus> fill) {
    VirtualIP body = new VirtualIP();
    body.getMetadata().setName(name);
    VirtualIPStatus status = new VirtualIPStatus();
    status.setNodes(null);
    status.setPriorities(null);
    status.setConditions(null);
    fill.accept(status);
    body.setStatus(status);
    client
        .resources(VirtualIP.class)
        .withName(name)
        .subresource("status")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager(manager)
                .withForce(false)
                .withFieldValidation("Strict")
                .build(),
            body);
  }

  private static NodeStatus nodeStatus(String node, String state, int priority, long transitions) {
    NodeStatus status = new NodeStatus();
    status.setName(node);
    status.setState(state);
    status.setPriority(priority);
    status.setEffectivePriority(priority);
    status.setTransitions(transitions);
    status.setHeartbeatTime(Instant.now().toString());
    return status;
  }

  private static void operatorSummary(VirtualIPStatus status, String master, long transitions) {
    status.setMaster(master);
    status.setVirtualRouterId(7);
    status.setReady("3/3");
    status.setTransitions(transitions);
    status.setPriorities(
        List.of(
            new NodePriority("node-a", 200),
            new NodePriority("node-b", 150),
            new NodePriority("node-c", 100)));
    status.setConditions(
        List.of(condition("Ready", "True", "MasterElected", master + " holds the addresses")));
  }

  private static Condition condition(String type, String status, String reason, String message) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime("2025-01-01T00:00:00Z")
        .build();
  }

  private static List<String> managers(String name) {
    return API
        .client()
        .resources(VirtualIP.class)
        .withName(name)
        .get()
        .getMetadata()
        .getManagedFields()
        .stream()
        .map(ManagedFieldsEntry::getManager)
        .toList();
  }

  private static void runTogether(List<Runnable> writers) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(writers.size());
    CyclicBarrier start = new CyclicBarrier(writers.size());
    try {
      List<Future<?>> running = new ArrayList<>();
      for (Runnable writer : writers) {
        running.add(
            pool.submit(
                () -> {
                  start.await();
                  writer.run();
                  return null;
                }));
      }
      for (Future<?> f : running) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
