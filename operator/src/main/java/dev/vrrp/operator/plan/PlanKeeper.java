package dev.vrrp.operator.plan;

import dev.vrrp.api.v1alpha1.SpecVersion;
import dev.vrrp.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.api.model.Node;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans on one thread of its own and publishes the result; reconciles only look their plan up. A
 * plan covers all VirtualIPs at once, so when 1000 VirtualIPs arrive together, planning once per
 * arrival on the reconcile threads would serialize them on the planner. Here every change asks for
 * a replan ({@link #requestReplan()}), requests made while one runs coalesce into the next, and the
 * VirtualIPs whose plan changed (or that asked for a plan that did not exist yet) are handed to
 * {@code onChanged} to be reconciled.
 */
public final class PlanKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PlanKeeper.class);

  /** Which version of a VirtualIP a plan was made from. */
  private record Published(ClusterPlan plan, Map<String, SpecVersion> seen) {}

  private final ClusterPlanner planner;
  private final Consumer<ClusterPlan> onPlanned;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "planner");
            t.setDaemon(true);
            return t;
          });
  private final AtomicBoolean queued = new AtomicBoolean();
  private final Set<String> waiting = ConcurrentHashMap.newKeySet();
  private volatile Published published;
  private volatile Supplier<Collection<VirtualIP>> virtualIps = List::of;
  private volatile Supplier<Collection<Node>> nodes = List::of;
  private volatile Consumer<Set<String>> onChanged = names -> {};

  /**
   * {@code onPlanned} sees every plan as it is published, on the planner thread (the operator's
   * metrics count installed and conflicting VirtualIPs there).
   */
  public PlanKeeper(ClusterPlanner planner, Consumer<ClusterPlan> onPlanned) {
    this.planner = planner;
    this.onPlanned = onPlanned;
  }

  /**
   * Where the inputs come from, and who reconciles the VirtualIPs whose plan changed. {@code nodes}
   * gives null while the Nodes are not known yet: no plan is made then.
   */
  public void bind(
      Supplier<Collection<VirtualIP>> virtualIps,
      Supplier<Collection<Node>> nodes,
      Consumer<Set<String>> onChanged) {
    this.virtualIps = virtualIps;
    this.nodes = nodes;
    this.onChanged = onChanged;
  }

  /** Replan soon; never blocks. */
  public void requestReplan() {
    if (queued.compareAndSet(false, true)) {
      try {
        thread.execute(
            () -> {
              queued.set(false);
              replan();
            });
      } catch (RejectedExecutionException e) {
        queued.set(false); // closed
      }
    }
  }

  /**
   * The plan for this version of {@code vip}, or empty when the published plan was made without it
   * (new, or its spec changed since): then a replan is requested, and {@code vip} is handed to
   * {@code onChanged} once it is planned.
   */
  public Optional<VipPlan> planFor(VirtualIP vip) {
    String name = vip.getMetadata().getName();
    Published current = published;
    if (current != null) {
      SpecVersion seen = current.seen().get(name);
      if (SpecVersion.of(vip).equals(seen)) {
        return Optional.ofNullable(current.plan().get(name));
      }
    }
    waiting.add(name);
    requestReplan();
    return Optional.empty();
  }

  /**
   * Whether the VirtualIP's status already names the VRID and priorities of the published plan for
   * this version of it (the operator's own write, seen again by the informer).
   */
  public boolean statusMatchesPlan(VirtualIP vip) {
    Published current = published;
    String name = vip.getMetadata().getName();
    SpecVersion seen = current == null ? null : current.seen().get(name);
    VipPlan plan = current == null ? null : current.plan().get(name);
    if (plan == null || !SpecVersion.of(vip).equals(seen)) {
      return false;
    }
    // a status without a plan yet counts too: it plans the same
    return ClusterPlanner.asPlanned(vip.getStatus(), plan);
  }

  private void replan() {
    try {
      Set<String> asked = new HashSet<>(waiting);
      Collection<Node> knownNodes = nodes.get();
      if (knownNodes == null) {
        LOG.debug("the Nodes are not known yet: planning once they are");
        return;
      }
      Collection<VirtualIP> all = virtualIps.get();
      ClusterPlanner.Planned planned = planner.plan(all, knownNodes);
      Map<String, SpecVersion> seen = new HashMap<>(all.size() * 2);
      for (VirtualIP vip : all) {
        seen.put(vip.getMetadata().getName(), SpecVersion.of(vip));
      }
      published = new Published(planned.plan(), seen);
      onPlanned.accept(planned.plan());
      waiting.removeAll(asked);
      Set<String> notify = new HashSet<>(planned.changed());
      notify.addAll(asked);
      notify.retainAll(seen.keySet());
      if (!notify.isEmpty()) {
        onChanged.accept(notify);
      }
    } catch (RuntimeException e) {
      LOG.error("planning failed; retrying on the next change", e);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
