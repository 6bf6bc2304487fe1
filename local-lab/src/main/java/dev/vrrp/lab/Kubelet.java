package dev.vrrp.lab;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The lab's stand-in for the scheduler and the kubelets, which it does not have. It runs the pods
 * of the Deployments and DaemonSets in one namespace as processes: DaemonSet pods (hostNetwork) in
 * the namespace of each lab node their nodeSelector matches, Deployment replicas each in a
 * namespace of its own. A process that exits is started again (restartPolicy Always, with
 * back-off); a changed pod template replaces its processes; a failed node runs nothing until it is
 * healed. It reads the objects from the API server every {@value #PERIOD_MS} ms.
 */
public final class Kubelet implements AutoCloseable {
  static final long PERIOD_MS = 500;
  private static final long MAX_BACKOFF_MS = 10_000;

  /** Where pods run and how they reach the API server. */
  public interface Placement {
    /** The segment host of a lab node, for hostNetwork pods. */
    String nodeHost(String node);

    /** The node's address (status.hostIP). */
    String nodeIp(String node);

    /** A host of its own for a pod without hostNetwork, wired to the API server. */
    String podHost(String pod) throws IOException;

    /** The labels of a node, for DaemonSet nodeSelectors. */
    Map<String, String> nodeLabels(String node);
  }

  private final KubernetesClient admin;
  private final String namespace;
  private final Segment lan;
  private final Placement placement;
  private final List<String> nodes;
  private final Map<String, Path> localJars;
  private final ServiceAccountKubeconfigs kubeconfigs;
  private final Path logs;
  private final Path hostRun;
  private final Consumer<String> events;
  private final Map<String, Running> running = new ConcurrentHashMap<>();
  private final Map<String, Long> backoff = new HashMap<>();
  private final Map<String, Long> notBefore = new HashMap<>();
  private final Set<String> failedNodes = ConcurrentHashMap.newKeySet();
  private final Set<String> terminating = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "kubelet"));
  private final ExecutorService terminations =
      Executors.newCachedThreadPool(r -> daemon(r, "kubelet-stop"));

  private record Running(
      Process process, PodProcess spec, String node, long gracePeriodMs, long startedAt) {}

  private record Desired(String pod, String node, String host, String hostIp, PodSpec spec) {}

  public Kubelet(
      KubernetesClient admin,
      String namespace,
      Segment lan,
      Placement placement,
      List<String> nodes,
      Map<String, Path> localJars,
      Path stateDir,
      Consumer<String> events) {
    this.admin = admin;
    this.namespace = namespace;
    this.lan = lan;
    this.placement = placement;
    this.nodes = List.copyOf(nodes);
    this.localJars = Map.copyOf(localJars);
    this.kubeconfigs = new ServiceAccountKubeconfigs(admin, stateDir.resolve("tokens"));
    this.logs = stateDir.resolve("logs");
    // a process cannot be given the agent's hostPath /run/vrrp-agent: each node has its own
    // directory under the lab's state instead (and the host's /run is left alone)
    this.hostRun = stateDir.resolve("node-run");
    this.events = events;
  }

  public void start() throws IOException {
    java.nio.file.Files.createDirectories(logs);
    loop.scheduleWithFixedDelay(this::syncQuietly, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
  }

  /** The node is gone: its pods are killed at once (no graceful shutdown) and none start there. */
  public void fail(String node) {
    failedNodes.add(node);
    running
        .entrySet()
        .removeIf(
            e -> {
              if (node.equals(e.getValue().node())) {
                e.getValue().process().descendants().forEach(ProcessHandle::destroyForcibly);
                e.getValue().process().destroyForcibly();
                events.accept("killed pod " + e.getKey() + " (node " + node + " failed)");
                return true;
              }
              return false;
            });
  }

  public void heal(String node) {
    failedNodes.remove(node);
  }

  public boolean failed(String node) {
    return failedNodes.contains(node);
  }

  /** The running process of a pod, if any (for measurements). */
  public java.util.Optional<Process> pod(String pod) {
    return java.util.Optional.ofNullable(running.get(pod))
        .map(Running::process)
        .filter(Process::isAlive);
  }

  public Set<String> pods() {
    return Set.copyOf(running.keySet());
  }

  public Path log(String pod) {
    return logs.resolve(pod + ".log");
  }

  private void syncQuietly() {
    try {
      sync();
    } catch (RuntimeException | IOException e) {
      // The API server may be unreachable for a while (the tests cut it); the pods keep running.
      events.accept("kubelet: " + e);
    }
  }

  synchronized void sync() throws IOException {
    Map<String, Desired> desired = desired();
    for (Map.Entry<String, Running> e : Map.copyOf(running).entrySet()) {
      Desired wanted = desired.get(e.getKey());
      if (wanted == null) {
        running.remove(e.getKey());
        terminate(e.getKey(), e.getValue(), "no longer wanted");
      }
    }
    long now = System.currentTimeMillis();
    for (Desired pod : desired.values()) {
      PodProcess spec =
          PodProcess.of(
                  pod.spec(),
                  new PodProcess.Identity(
                      pod.pod(), namespace, pod.node(), pod.hostIp(), pod.hostIp()),
                  localJars)
              .withEnv(
                  pod.node() == null
                      ? Map.of()
                      : Map.of("STATE_DIR", hostRun.resolve(pod.node()).toString()));
      Running current = running.get(pod.pod());
      if (current != null && current.process().isAlive() && current.spec().equals(spec)) {
        continue;
      }
      if (current != null && current.process().isAlive()) {
        running.remove(pod.pod());
        terminate(pod.pod(), current, "its template changed");
        continue; // started on a later round, once the old one is gone
      }
      if (current != null) {
        running.remove(pod.pod());
        if (now - current.startedAt() > 30_000) {
          backoff.remove(pod.pod()); // it ran fine for a while: no crash loop
        }
        long delay = Math.min(MAX_BACKOFF_MS, backoff.merge(pod.pod(), 1000L, (a, b) -> a * 2));
        notBefore.put(pod.pod(), now + delay);
        events.accept(
            "pod "
                + pod.pod()
                + " exited with "
                + current.process().exitValue()
                + "; restarting in "
                + delay
                + " ms (log: "
                + log(pod.pod())
                + ")");
        continue;
      }
      if (now < notBefore.getOrDefault(pod.pod(), 0L) || terminating.contains(pod.pod())) {
        continue;
      }
      start(pod, spec);
    }
  }

  private void start(Desired pod, PodProcess spec) throws IOException {
    Map<String, String> env = new LinkedHashMap<>(spec.env());
    env.put("KUBECONFIG", kubeconfigs.kubeconfig(namespace, spec.serviceAccount()).toString());
    // LAB_JAVA_OPTIONS reaches every pod's JVM: a profiler or a debugger for a look inside
    env.put(
        "JAVA_TOOL_OPTIONS",
        ("-Dorg.slf4j.simpleLogger.showDateTime=true "
                + Objects.requireNonNullElse(System.getenv("LAB_JAVA_OPTIONS"), ""))
            .strip());
    Process process = lan.start(pod.host(), spec.argv(), env, log(pod.pod()));
    long grace =
        Objects.requireNonNullElse(pod.spec().getTerminationGracePeriodSeconds(), 30L) * 1000;
    running.put(
        pod.pod(), new Running(process, spec, pod.node(), grace, System.currentTimeMillis()));
    events.accept(
        "started pod "
            + pod.pod()
            + (pod.node() == null ? "" : " on " + pod.node())
            + " (pid "
            + process.pid()
            + ")");
  }

  private void terminate(String pod, Running r, String why) {
    terminating.add(pod);
    events.accept("stopping pod " + pod + ": " + why);
    terminations.execute(
        () -> {
          try {
            r.process().destroy();
            if (!r.process().waitFor(r.gracePeriodMs(), TimeUnit.MILLISECONDS)) {
              r.process().destroyForcibly();
            }
          } catch (InterruptedException e) {
            r.process().destroyForcibly();
            Thread.currentThread().interrupt();
          } finally {
            terminating.remove(pod);
          }
        });
  }

  private Map<String, Desired> desired() throws IOException {
    Map<String, Desired> desired = new LinkedHashMap<>();
    for (Deployment d : admin.apps().deployments().inNamespace(namespace).list().getItems()) {
      int replicas = Objects.requireNonNullElse(d.getSpec().getReplicas(), 1);
      for (int i = 0; i < replicas; i++) {
        String pod = d.getMetadata().getName() + "-" + i;
        desired.put(
            pod,
            new Desired(
                pod,
                null,
                placement.podHost(pod),
                "127.0.0.1",
                d.getSpec().getTemplate().getSpec()));
      }
    }
    for (DaemonSet ds : admin.apps().daemonSets().inNamespace(namespace).list().getItems()) {
      PodSpec spec = ds.getSpec().getTemplate().getSpec();
      Map<String, String> selector =
          spec.getNodeSelector() == null ? Map.of() : spec.getNodeSelector();
      for (String node : nodes) {
        if (failedNodes.contains(node)
            || !placement.nodeLabels(node).entrySet().containsAll(selector.entrySet())) {
          continue;
        }
        String pod = ds.getMetadata().getName() + "-" + node;
        desired.put(
            pod, new Desired(pod, node, placement.nodeHost(node), placement.nodeIp(node), spec));
      }
    }
    return desired;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Stops every pod gracefully (within its grace period), as a node drain would. */
  @Override
  public void close() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Set<String> names = new HashSet<>(running.keySet());
    for (String pod : names) {
      Running r = running.remove(pod);
      if (r != null) {
        terminate(pod, r, "the lab stops");
      }
    }
    terminations.shutdown();
    try {
      terminations.awaitTermination(40, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
