package dev.vrrp.agent.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vrrp.api.v1alpha1.NodeStatus;
import dev.vrrp.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes this node's entry of {@code status.nodes} with server-side apply under its own field
 * manager, so it owns that entry and nothing else. Failures are logged once per outage: VRRP does
 * not wait for the API server.
 *
 * <p>{@link #submit} hands the write to a few writer threads and returns: the agent's worker (which
 * also starts new instances) never waits for the API server, writes for different VirtualIPs go out
 * side by side, and an entry not yet written is replaced by a newer one (INITIALIZE, BACKUP, MASTER in
 * quick succession cost one write, the last). Writes for one VirtualIP stay in order.
 */
public final class StatusReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int WRITERS = 4;

  private final KubernetesClient client;
  private final String fieldManager;
  private final Map<String, NodeStatus> pending = new HashMap<>(); // guarded by this
  private final Set<String> writing = new HashSet<>(); // guarded by this
  private final ExecutorService writers = Executors.newFixedThreadPool(WRITERS, r -> {
    Thread t = new Thread(r, "status-writer");
    t.setDaemon(true);
    return t;
  });
  private final java.util.function.BiConsumer<String, NodeStatus> write;
  private volatile boolean failing;

  public StatusReporter(KubernetesClient client, String nodeName) {
    this.client = client;
    this.fieldManager = "vrrp-agent/" + nodeName;
    this.write = this::report;
  }

  /** With another way to write (tests of the queueing). */
  StatusReporter(java.util.function.BiConsumer<String, NodeStatus> write) {
    this.client = null;
    this.fieldManager = "test";
    this.write = write;
  }

  /** Queues the entry for writing; a queued, unwritten entry of the same VirtualIP is dropped for it. */
  public void submit(String virtualIp, NodeStatus entry) {
    synchronized (this) {
      pending.put(virtualIp, entry);
      if (!writing.add(virtualIp)) {
        return; // its writer picks the new entry up when the current write is done
      }
    }
    try {
      writers.execute(() -> drain(virtualIp));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      synchronized (this) {
        writing.remove(virtualIp); // closed
      }
    }
  }

  private void drain(String virtualIp) {
    while (true) {
      NodeStatus entry;
      synchronized (this) {
        entry = pending.remove(virtualIp);
        if (entry == null) {
          writing.remove(virtualIp);
          return;
        }
      }
      write.accept(virtualIp, entry);
    }
  }

  /** Waits up to two seconds for queued writes, then stops the writers. */
  @Override
  public void close() {
    writers.shutdown();
    try {
      writers.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writers.shutdownNow();
  }

  public String fieldManager() {
    return fieldManager;
  }

  /** Returns whether the write reached the API server. */
  public boolean report(String virtualIp, NodeStatus entry) {
    ObjectNode apply = JSON.createObjectNode();
    apply.put("apiVersion", HasMetadata.getApiVersion(VirtualIP.class));
    apply.put("kind", HasMetadata.getKind(VirtualIP.class));
    apply.putObject("metadata").put("name", virtualIp);
    apply.putObject("status").putArray("nodes").add(JSON.valueToTree(entry));
    try {
      client.resources(VirtualIP.class).withName(virtualIp).subresource("status")
          .patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager(fieldManager)
              .withForce(true).build(), apply.toString());
      if (failing) {
        LOG.info("status writes work again");
        failing = false;
      }
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return true; // the VirtualIP is gone: nothing left to report
      }
      if (!failing) {
        LOG.warn("cannot write status of {} ({}); VRRP carries on, will retry on the next heartbeat", virtualIp,
            e.getMessage());
        failing = true;
      }
      return false;
    }
  }
}
