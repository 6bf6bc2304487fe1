package dev.vrrp.operator.agents;

import dev.vrrp.api.v1alpha1.OperatorManager;
import dev.vrrp.api.v1alpha1.SpecVersion;
import dev.vrrp.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the one agent DaemonSet equal to {@link AgentDaemonSet#render} of all VirtualIPs. The
 * DaemonSet belongs to no single VirtualIP, so it is not a per-resource dependent: reconciles and
 * deletions call {@link #requestSync()}, which coalesces into one sync on this keeper's own thread;
 * a watch on the DaemonSet and a periodic sync repair drift (someone edited or deleted it).
 *
 * <p>A sync applies with server-side apply (field manager {@link OperatorManager#NAME}, force) only
 * when the rendered hash or the object's generation differs from what this keeper last applied, so
 * it is idempotent and quiet. With no VirtualIP left, the DaemonSet is deleted.
 *
 * <p>With {@link AgentDaemonSet.Settings#ownerDeployment} the DaemonSet is owned by the operator's
 * Deployment; while that Deployment is gone or being deleted (an uninstall) nothing is applied, so
 * the garbage collector's deletion of the agents is not undone. With {@link
 * AgentDaemonSet.Settings#labelNamespace} the namespace gets the {@link PodSecurityLabels} first.
 *
 * <p>What keeps the agents from running (the owner gone, an apply or the labelling refused) is
 * {@link #problem()}, which the status aggregation turns into the VirtualIPs' Ready condition:
 * otherwise it would be only in this log while every VirtualIP waits for agents.
 */
public final class AgentDaemonSetKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AgentDaemonSetKeeper.class);

  /** What a sync did. */
  public enum Outcome {
    APPLIED,
    UNCHANGED,
    DELETED,
    ABSENT,
    FAILED
  }

  private final KubernetesClient client;
  private final AgentDaemonSet.Settings settings;
  private final Duration recheck;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "agent-daemonset");
            t.setDaemon(true);
            return t;
          });
  private final AtomicBoolean queued = new AtomicBoolean();
  private final AtomicBoolean periodic = new AtomicBoolean();
  private final Map<String, SpecVersion> rendered = new ConcurrentHashMap<>();
  private volatile Supplier<Collection<VirtualIP>> vips = List::of;
  private String appliedHash;
  private Long appliedGeneration;
  private long applies;
  private boolean namespaceLabelled;
  private volatile SharedIndexInformer<DaemonSet> watch;
  private volatile String problem;
  private volatile String labelProblem;
  private volatile Runnable onProblemChanged = () -> {};

  public AgentDaemonSetKeeper(
      KubernetesClient client, AgentDaemonSet.Settings settings, Duration recheck) {
    this.client = client;
    this.settings = settings;
    this.recheck = recheck;
  }

  /** Where the VirtualIPs come from (the operator's informer cache). */
  public void bind(Supplier<Collection<VirtualIP>> source) {
    this.vips = source;
  }

  /**
   * Asks for a sync soon; many requests while one is pending make one sync. The first request (only
   * the leader reconciles, so only the leader gets here) also starts the periodic sync and a watch
   * on the DaemonSet, so a deletion or a foreign edit is repaired at once.
   */
  public void requestSync() {
    try {
      if (periodic.compareAndSet(false, true)) {
        executor.scheduleWithFixedDelay(
            this::requestSync, recheck.toMillis(), recheck.toMillis(), TimeUnit.MILLISECONDS);
        executor.execute(this::watch);
      }
      if (queued.compareAndSet(false, true)) {
        executor.schedule(
            () -> {
              queued.set(false);
              if (sync() == Outcome.FAILED) {
                executor.schedule(this::requestSync, 5, TimeUnit.SECONDS);
              }
            },
            100,
            TimeUnit.MILLISECONDS);
      }
    } catch (RejectedExecutionException e) {
      LOG.debug("closed: no more syncs");
    }
  }

  /**
   * Asks for a sync when this version of the VirtualIP was not rendered yet: the DaemonSet reads
   * only specs (selectors, tolerations), and most reconciles are about status.
   */
  public void requestSyncFor(VirtualIP vip) {
    SpecVersion version = SpecVersion.of(vip);
    if (!version.equals(rendered.put(vip.getMetadata().getName(), version))) {
      requestSync();
    }
  }

  /**
   * Runs (on this keeper's thread) each time {@link #problem()} changes, so the VirtualIPs are
   * aggregated again with it.
   */
  public void onProblemChanged(Runnable listener) {
    this.onProblemChanged = Objects.requireNonNull(listener);
  }

  /**
   * Why the agents cannot run as rendered, in words for a condition message; empty while the last
   * sync applied (or had nothing to apply) and the namespace is prepared.
   */
  public Optional<String> problem() {
    String apply = problem;
    String label = labelProblem;
    if (apply != null && label != null) {
      return Optional.of(apply + "; " + label);
    }
    return Optional.ofNullable(apply != null ? apply : label);
  }

  /** How many times this keeper applied the DaemonSet (for tests and metrics). */
  public synchronized long applies() {
    return applies;
  }

  /** Renders and applies now, on the caller's thread. */
  public synchronized Outcome sync() {
    Optional<String> before = problem();
    Outcome outcome = syncOnce();
    if (!before.equals(problem())) {
      try {
        onProblemChanged.run();
      } catch (RuntimeException e) {
        LOG.warn("a listener of the agents' problem failed", e);
      }
    }
    return outcome;
  }

  private Outcome syncOnce() {
    try {
      Collection<VirtualIP> all = vips.get();
      rendered
          .keySet()
          .retainAll(all.stream().map(v -> v.getMetadata().getName()).collect(Collectors.toSet()));
      Deployment owner = null;
      if (!all.isEmpty() && settings.ownerDeployment() != null) {
        owner = owner();
        if (owner == null) {
          return Outcome.FAILED;
        }
      }
      if (all.isEmpty()) {
        labelProblem = null;
      } else {
        labelNamespace();
      }
      DaemonSet desired = AgentDaemonSet.render(settings, all, owner);
      var resource =
          client
              .apps()
              .daemonSets()
              .inNamespace(settings.namespace())
              .withName(AgentDaemonSet.NAME);
      DaemonSet current = current(resource);
      problem = null;
      if (desired == null) {
        appliedHash = null;
        appliedGeneration = null;
        if (current != null && managedByUs(current)) {
          resource.delete();
          LOG.info(
              "no VirtualIP left: deleted DaemonSet {}/{}",
              settings.namespace(),
              AgentDaemonSet.NAME);
          return Outcome.DELETED;
        }
        return Outcome.ABSENT;
      }
      String hash = desired.getMetadata().getAnnotations().get(AgentDaemonSet.HASH_ANNOTATION);
      if (current != null
          && hash.equals(annotation(current))
          && hash.equals(appliedHash)
          && Objects.equals(current.getMetadata().getGeneration(), appliedGeneration)) {
        return Outcome.UNCHANGED;
      }
      DaemonSet applied =
          client
              .apps()
              .daemonSets()
              .inNamespace(settings.namespace())
              .resource(desired)
              .fieldManager(OperatorManager.NAME)
              .forceConflicts()
              .serverSideApply();
      appliedHash = hash;
      appliedGeneration = applied.getMetadata().getGeneration();
      applies++;
      LOG.info(
          "applied DaemonSet {}/{} (hash {}, generation {})",
          settings.namespace(),
          AgentDaemonSet.NAME,
          hash,
          appliedGeneration);
      return Outcome.APPLIED;
    } catch (KubernetesClientException e) {
      LOG.warn(
          "cannot apply DaemonSet {}/{}: {}; will retry",
          settings.namespace(),
          AgentDaemonSet.NAME,
          e.getMessage());
      problem =
          "the operator cannot apply the agents' DaemonSet "
              + settings.namespace()
              + "/"
              + AgentDaemonSet.NAME
              + ": "
              + e.getMessage();
      return Outcome.FAILED;
    }
  }

  /** The operator's Deployment, or null (said in the log) while it is gone or being deleted. */
  private Deployment owner() {
    Deployment owner =
        client
            .apps()
            .deployments()
            .inNamespace(settings.namespace())
            .withName(settings.ownerDeployment())
            .get();
    if (owner == null || owner.getMetadata().getDeletionTimestamp() != null) {
      problem =
          "the agents' DaemonSet is not applied: the operator's Deployment "
              + settings.namespace()
              + "/"
              + settings.ownerDeployment()
              + " (its owner, --operator-deployment) is "
              + (owner == null ? "not found" : "being deleted");
      LOG.warn(
          "the operator's Deployment {}/{} (owner of the agents' DaemonSet) is {}: not applying the "
              + "DaemonSet; the agents go with the operator",
          settings.namespace(),
          settings.ownerDeployment(),
          owner == null ? "gone" : "being deleted");
      return null;
    }
    return owner;
  }

  private void labelNamespace() {
    if (!settings.labelNamespace() || namespaceLabelled) {
      return;
    }
    try {
      PodSecurityLabels.apply(client, settings.namespace());
      namespaceLabelled = true;
      labelProblem = null;
      LOG.info(
          "labelled namespace {} {}: the agents need the privileged Pod Security level",
          settings.namespace(),
          PodSecurityLabels.PRIVILEGED);
    } catch (KubernetesClientException e) {
      labelProblem =
          "namespace "
              + settings.namespace()
              + " is not labelled for the privileged Pod Security level ("
              + e.getMessage()
              + "): where it enforces baseline or restricted, no agent pod can start";
      LOG.warn(
          "cannot label namespace {} for the privileged Pod Security level ({}); where the "
              + "namespace enforces baseline or restricted, no agent pod can start",
          settings.namespace(),
          e.getMessage());
    }
  }

  private void watch() {
    try {
      watch =
          client
              .apps()
              .daemonSets()
              .inNamespace(settings.namespace())
              .withName(AgentDaemonSet.NAME)
              .inform(
                  new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(DaemonSet ds) {
                      // our own apply, or an initial list: nothing to repair
                    }

                    @Override
                    public void onUpdate(DaemonSet before, DaemonSet after) {
                      if (!Objects.equals(
                          after.getMetadata().getGeneration(), appliedGeneration())) {
                        requestSync();
                      }
                    }

                    @Override
                    public void onDelete(DaemonSet ds, boolean finalStateUnknown) {
                      requestSync();
                    }
                  });
    } catch (KubernetesClientException e) {
      LOG.warn(
          "cannot watch DaemonSet {}/{} ({}); the periodic sync repairs drift",
          settings.namespace(),
          AgentDaemonSet.NAME,
          e.getMessage());
    }
  }

  /** From the watch once it has listed (no request per sync), else from the API server. */
  private DaemonSet current(Resource<DaemonSet> resource) {
    SharedIndexInformer<DaemonSet> informer = watch;
    if (informer != null && informer.hasSynced()) {
      return informer.getStore().getByKey(settings.namespace() + "/" + AgentDaemonSet.NAME);
    }
    return resource.get();
  }

  private synchronized Long appliedGeneration() {
    return appliedGeneration;
  }

  private static String annotation(DaemonSet ds) {
    Map<String, String> annotations = ds.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(AgentDaemonSet.HASH_ANNOTATION);
  }

  /** Labelled as {@link AgentDaemonSet#render} labels it: someone else's DaemonSet stays. */
  private static boolean managedByUs(DaemonSet ds) {
    Map<String, String> labels = ds.getMetadata().getLabels();
    return labels != null
        && AgentDaemonSet.LABELS
            .get(AgentDaemonSet.MANAGED_BY)
            .equals(labels.get(AgentDaemonSet.MANAGED_BY));
  }

  @Override
  public void close() {
    executor.shutdownNow();
    SharedIndexInformer<DaemonSet> informer = watch;
    if (informer != null) {
      informer.close();
    }
  }
}
