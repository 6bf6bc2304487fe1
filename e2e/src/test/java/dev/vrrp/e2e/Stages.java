package dev.vrrp.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vrrp.api.v1alpha1.NodeStatus;
import dev.vrrp.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * When a watch first saw each VirtualIP reach each stage on its way to a master: the operator's
 * plan (a VRID), a first agent entry, an agent entry saying MASTER, and {@code status.master}.
 * Tells which part of the pipeline a slow master waited for.
 */
final class Stages {
  enum Stage {
    EXISTS("the VirtualIP exists"),
    PLANNED("operator wrote the plan (VRID)"),
    FIRST_ENTRY("first agent entry"),
    MASTER_ENTRY("an agent entry says MASTER"),
    MASTER("status.master");

    final String label;

    Stage(String label) {
      this.label = label;
    }
  }

  private final Map<Stage, Map<String, Instant>> seen = new ConcurrentHashMap<>();

  Stages() {
    for (Stage stage : Stage.values()) {
      seen.put(stage, new ConcurrentHashMap<>());
    }
  }

  private final Queue<VirtualIP[]> updates = new ConcurrentLinkedQueue<>();

  /**
   * An update the watch saw. Kept for {@link #writes}, which attributes it to its writer
   * afterwards: the watch thread timestamps every stage and must not spend its time comparing JSON.
   */
  void updated(VirtualIP before, VirtualIP after) {
    updates.add(new VirtualIP[] {before, after});
  }

  /** Attributed by what changed, compared as JSON (the status classes have no equals). */
  private static String writer(VirtualIP before, VirtualIP after) {
    if (!Objects.equals(
        before.getMetadata().getFinalizers(), after.getMetadata().getFinalizers())) {
      return "finalizer (operator)";
    } else if (!nodes(before).equals(nodes(after))) {
      return "status.nodes (agents)";
    } else if (!statusBesidesNodes(before).equals(statusBesidesNodes(after))) {
      return "status (operator)";
    }
    return "other";
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode nodes(VirtualIP vip) {
    return vip.getStatus() == null ? JSON.nullNode() : JSON.valueToTree(vip.getStatus().getNodes());
  }

  private static JsonNode statusBesidesNodes(VirtualIP vip) {
    if (vip.getStatus() == null) {
      return JSON.nullNode();
    }
    ObjectNode status = JSON.valueToTree(vip.getStatus());
    status.remove("nodes");
    return status;
  }

  /** Writes per VirtualIP by writer (creation not counted). */
  String writes(int virtualIps) {
    Map<String, LongAdder> writes = new TreeMap<>();
    for (VirtualIP[] update : updates) {
      writes.computeIfAbsent(writer(update[0], update[1]), w -> new LongAdder()).increment();
    }
    StringBuilder md = new StringBuilder("| writer | updates per VirtualIP |\n|---|---|\n");
    long total = 0;
    for (Map.Entry<String, LongAdder> e : writes.entrySet()) {
      total += e.getValue().sum();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.2f |%n",
              e.getKey(),
              e.getValue().sum() / (double) virtualIps));
    }
    md.append(String.format(Locale.ROOT, "| all | %.2f |%n", total / (double) virtualIps));
    return md.toString();
  }

  /**
   * Watches every VirtualIP: each add and update is stamped first (its time is the measurement),
   * updates of the {@code counted} ones are kept for {@link #writes}, then {@code also} sees it.
   */
  SharedIndexInformer<VirtualIP> watch(
      KubernetesClient client, Predicate<VirtualIP> counted, Consumer<VirtualIP> also) {
    return client
        .resources(VirtualIP.class)
        .inform(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(VirtualIP vip) {
                seen(vip, Instant.now());
                also.accept(vip);
              }

              @Override
              public void onUpdate(VirtualIP old, VirtualIP vip) {
                seen(vip, Instant.now());
                if (counted.test(vip)) {
                  updated(old, vip);
                }
                also.accept(vip);
              }

              @Override
              public void onDelete(VirtualIP vip, boolean unknown) {}
            },
            0);
  }

  void seen(VirtualIP vip, Instant at) {
    String name = vip.getMetadata().getName();
    seen.get(Stage.EXISTS).putIfAbsent(name, at);
    var status = vip.getStatus();
    if (status == null) {
      return;
    }
    if (status.getVirtualRouterId() != null) {
      seen.get(Stage.PLANNED).putIfAbsent(name, at);
    }
    if (!status.getNodes().isEmpty()) {
      seen.get(Stage.FIRST_ENTRY).putIfAbsent(name, at);
    }
    if (status.getNodes().stream().map(NodeStatus::getState).anyMatch("MASTER"::equals)) {
      seen.get(Stage.MASTER_ENTRY).putIfAbsent(name, at);
    }
    if (status.getMaster() != null) {
      seen.get(Stage.MASTER).putIfAbsent(name, at);
    }
  }

  /** A Markdown table: per stage, p50/p90/p99/max of the time after each VirtualIP's creation. */
  String table(Map<String, Instant> created) {
    StringBuilder md =
        new StringBuilder("| stage | p50 | p90 | p99 | max |\n|---|---|---|---|---|\n");
    for (Stage stage : Stage.values()) {
      Map<String, Instant> at = seen.get(stage);
      double[] s =
          created.entrySet().stream()
              .filter(e -> at.containsKey(e.getKey()))
              .mapToDouble(
                  e -> Duration.between(e.getValue(), at.get(e.getKey())).toMillis() / 1000.0)
              .sorted()
              .toArray();
      if (s.length == 0) {
        md.append(String.format(Locale.ROOT, "| %s | - | - | - | - |%n", stage.label));
        continue;
      }
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.2f s | %.2f s | %.2f s | %.2f s |%n",
              stage.label,
              percentile(s, 0.5),
              percentile(s, 0.9),
              percentile(s, 0.99),
              s[s.length - 1]));
    }
    md.append("| status.master after the first agent entry (an agent runs it) ")
        .append(between(Stage.FIRST_ENTRY, Stage.MASTER))
        .append('\n');
    return md.toString();
  }

  /**
   * Per VirtualIP, the time from one stage to another as the watch saw them: {@code FIRST_ENTRY} to
   * {@code MASTER} is the time after an agent ran its instance (the "after its agents are
   * running", measured from the first of them).
   */
  String between(Stage from, Stage to) {
    Map<String, Instant> start = seen.get(from);
    Map<String, Instant> end = seen.get(to);
    double[] s =
        start.entrySet().stream()
            .filter(e -> end.containsKey(e.getKey()))
            .mapToDouble(
                e -> Duration.between(e.getValue(), end.get(e.getKey())).toMillis() / 1000.0)
            .sorted()
            .toArray();
    if (s.length == 0) {
      return "| - | - | - | - |";
    }
    return String.format(
        Locale.ROOT,
        "| %.2f s | %.2f s | %.2f s | %.2f s |",
        percentile(s, 0.5),
        percentile(s, 0.9),
        percentile(s, 0.99),
        s[s.length - 1]);
  }

  /** The p99 time after creation at which these VirtualIPs reached {@code stage}. */
  double p99(Stage stage, List<Map.Entry<String, Instant>> created) {
    Map<String, Instant> at = seen.get(stage);
    double[] s =
        created.stream()
            .filter(e -> at.containsKey(e.getKey()))
            .mapToDouble(
                e -> Duration.between(e.getValue(), at.get(e.getKey())).toMillis() / 1000.0)
            .sorted()
            .toArray();
    return s.length == 0 ? Double.NaN : percentile(s, 0.99);
  }

  static double percentile(double[] sorted, double p) {
    return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1))];
  }

  /**
   * VRRP transitions per VirtualIP and node from the agents' entries, against the 1 (INITIALIZE to
   * BACKUP) or 2 (then MASTER) of a calm start: more means instances flapped.
   */
  static String transitions(List<VirtualIP> vips) {
    long entries = 0;
    long transitions = 0;
    long most = 0;
    for (VirtualIP vip : vips) {
      for (NodeStatus entry : vip.getStatus().getNodes()) {
        long n = entry.getTransitions() == null ? 0 : entry.getTransitions();
        entries++;
        transitions += n;
        most = Math.max(most, n);
      }
    }
    return String.format(
        Locale.ROOT,
        "VRRP transitions in the agents' entries: %.2f per VirtualIP and node "
            + "(a calm start: %.2f), at most %d.%n",
        transitions / (double) Math.max(1, entries),
        (vips.size() * (2 + 1 + 1)) / (double) Math.max(1, entries),
        most);
  }
}
