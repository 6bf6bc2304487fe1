package dev.vrrp.agent.kubernetes;

import dev.vrrp.api.v1alpha1.NodeEntryPatch;
import dev.vrrp.api.v1alpha1.NodeStatus;
import dev.vrrp.api.vocabulary.NodeState;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes this node's entry of {@code status.nodes} with server-side apply under its own field
 * manager, so it owns that entry and nothing else. Failures are logged once per outage: VRRP does
 * not wait for the API server.
 *
 * <p>Entries go to a few writer threads, and {@link #submit} returns at once: the agent's worker
 * (which also starts new instances) never waits for the API server, and writes for different
 * VirtualIPs go out side by side. An entry not yet written is replaced by a newer one (INITIALIZE,
 * BACKUP, MASTER in quick succession cost one write, the last); writes for one VirtualIP stay in
 * order. Queues, first served first: who holds the address (an entry saying MASTER, or the first
 * entry after one that did), other news ({@link #submit}: a transition, a new VirtualIP), then
 * refreshes ({@link #refresh}: the heartbeat). A heartbeat over 1000 entries, or 1000 new BACKUP
 * entries, never delays a new master's entry.
 */
public final class StatusReporter implements StatusSink {
  private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);
  static final int WRITERS = 4;

  private final KubernetesClient client;
  private final String fieldManager;
  private final Object lock = new Object();
  private final Map<String, NodeStatus> pending = new HashMap<>(); // guarded by lock
  // guarded by lock: VirtualIPs waiting for a writer, by urgency (Urgency order), each in order of
  // arrival
  private final List<Set<String>> queues =
      List.of(new LinkedHashSet<>(), new LinkedHashSet<>(), new LinkedHashSet<>());
  private final Set<String> lastSubmittedMaster = ConcurrentHashMap.newKeySet();
  private final Set<String> writing = new HashSet<>(); // guarded by lock
  private final Map<String, Long> lastWritten =
      new ConcurrentHashMap<>(); // System.nanoTime of the last success
  private final List<Thread> writers = new ArrayList<>();
  private final BiPredicate<String, NodeStatus> write;
  private volatile boolean closed;
  private volatile boolean failing;
  private volatile boolean unreachable; // a write got no answer and none succeeded since
  // VirtualIPs whose last write failed: the entry that gets through next may have been built
  // during the failure and is written once more, fresh, at the next refresh
  private final Set<String> failedLast = ConcurrentHashMap.newKeySet();

  public StatusReporter(KubernetesClient client, String nodeName) {
    this.client = client;
    this.fieldManager = NodeEntryPatch.fieldManager(nodeName);
    this.write = this::report;
    startWriters();
  }

  /** With another way to write (tests of the queueing); it returns whether the write succeeded. */
  StatusReporter(BiPredicate<String, NodeStatus> write) {
    this.client = null;
    this.fieldManager = "test";
    this.write = write;
    startWriters();
  }

  private void startWriters() {
    for (int i = 0; i < WRITERS; i++) {
      Thread t = new Thread(this::writeLoop, "status-writer-" + i);
      t.setDaemon(true);
      t.start();
      writers.add(t);
    }
  }

  private enum Urgency {
    MASTERSHIP,
    NEWS,
    REFRESH
  }

  /** Queues news about the VirtualIP (a transition, a first entry) ahead of every refresh. */
  @Override
  public void submit(String virtualIp, NodeStatus entry) {
    boolean master = NodeState.MASTER.is(entry.getState());
    boolean wasMaster =
        master ? !lastSubmittedMaster.add(virtualIp) : lastSubmittedMaster.remove(virtualIp);
    boolean mastership = master || wasMaster;
    enqueue(virtualIp, entry, mastership ? Urgency.MASTERSHIP : Urgency.NEWS);
  }

  /** Queues a heartbeat refresh of the entry, behind all news. */
  @Override
  public void refresh(String virtualIp, NodeStatus entry) {
    enqueue(virtualIp, entry, Urgency.REFRESH);
  }

  /** Whether the VirtualIP's entry was written successfully within {@code age}. */
  @Override
  public boolean writtenWithin(String virtualIp, Duration age) {
    Long at = lastWritten.get(virtualIp);
    return at != null && System.nanoTime() - at < age.toNanos();
  }

  /** Drops what is known about a VirtualIP that is gone. */
  @Override
  public void forget(String virtualIp) {
    lastWritten.remove(virtualIp);
    lastSubmittedMaster.remove(virtualIp);
    failedLast.remove(virtualIp);
  }

  /** A newer entry replaces the queued one; the VirtualIP keeps the more urgent of their places. */
  private void enqueue(String virtualIp, NodeStatus entry, Urgency urgency) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      pending.put(virtualIp, entry);
      for (int i = 0; i < queues.size(); i++) {
        if (queues.get(i).contains(virtualIp)) {
          if (i <= urgency.ordinal()) {
            lock.notifyAll();
            return;
          }
          queues.get(i).remove(virtualIp);
        }
      }
      queues.get(urgency.ordinal()).add(virtualIp);
      lock.notifyAll();
    }
  }

  private void writeLoop() {
    while (true) {
      String virtualIp;
      NodeStatus entry;
      synchronized (lock) {
        while ((virtualIp = next()) == null) {
          if (closed) {
            return;
          }
          try {
            lock.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        entry = pending.remove(virtualIp);
        writing.add(virtualIp);
      }
      boolean written = false;
      try {
        written = write.test(virtualIp, entry);
      } catch (Unreachable e) {
        unreachable = true;
      } catch (RuntimeException e) {
        LOG.warn("writing the entry of {} failed: {}", virtualIp, e.toString());
      } finally {
        if (written && unreachable) {
          // the first write after the API server was unreachable: this entry and any that got
          // through meanwhile were built during the outage; every entry is due again, now
          unreachable = false;
          failedLast.remove(virtualIp);
          lastWritten.clear();
        } else if (written && failedLast.remove(virtualIp)) {
          // its heartbeat may be as old as the failure (a refused or timed-out write is no
          // outage to the rule above): a heartbeat's wait for the next one would leave it stale
          lastWritten.remove(virtualIp);
        } else if (written) {
          lastWritten.put(virtualIp, System.nanoTime());
        } else {
          failedLast.add(virtualIp);
        }
        synchronized (lock) {
          writing.remove(virtualIp);
          lock.notifyAll(); // its next entry, if one came meanwhile, may go now
        }
      }
    }
  }

  /**
   * The first VirtualIP of the most urgent queue that no writer is writing; removed from its queue.
   */
  private String next() {
    for (Set<String> queue : queues) {
      for (Iterator<String> it = queue.iterator(); it.hasNext(); ) {
        String virtualIp = it.next();
        if (!writing.contains(virtualIp)) {
          it.remove();
          return virtualIp;
        }
      }
    }
    return null;
  }

  /** Waits up to two seconds for queued writes, then stops the writers. */
  @Override
  public void close() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    synchronized (lock) {
      while ((queues.stream().anyMatch(q -> !q.isEmpty()) || !writing.isEmpty())
          && System.nanoTime() < deadline) {
        try {
          lock.wait(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      closed = true;
      lock.notifyAll();
    }
    writers.forEach(Thread::interrupt);
  }

  public String fieldManager() {
    return fieldManager;
  }

  /** Returns whether the write reached the API server. */
  public boolean report(String virtualIp, NodeStatus entry) {
    try {
      NodeEntryPatch.apply(client, fieldManager, virtualIp, entry);
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
        LOG.warn(
            "cannot write status of {} ({}); VRRP carries on, will retry on the next heartbeat",
            virtualIp,
            e.getMessage());
        failing = true;
      }
      if (e.getCode() <= 0) {
        throw new Unreachable(e); // no answer at all, not a refusal
      }
      return false;
    }
  }

  /**
   * A write that got no answer from the API server (a timeout, a refused or cut connection), as
   * opposed to one it refused. Thrown by the write function; the writers take it for an outage.
   */
  static final class Unreachable extends RuntimeException {
    Unreachable(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }
}
