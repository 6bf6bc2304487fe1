package dev.vrrp.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vrrp.api.v1alpha1.NodeStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StatusReporterTest {
  static NodeStatus entry(String state) {
    NodeStatus e = new NodeStatus();
    e.setName("node-a");
    e.setState(state);
    return e;
  }

  @Test
  void entriesQueuedDuringASlowWriteCollapseIntoTheLatest() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<String> written = new CopyOnWriteArrayList<>();
    try (StatusReporter reporter =
        new StatusReporter(
            (vip, e) -> {
              written.add(vip + "=" + e.getState());
              if (e.getState().equals("INITIALIZE")) {
                hold(release);
              }
              return true;
            })) {
      reporter.submit("web", entry("INITIALIZE"));
      await().until(() -> written.size() == 1);
      reporter.submit("web", entry("BACKUP"));
      reporter.submit("web", entry("MASTER"));
      release.countDown();
      await().until(() -> written.size() == 2);
      Thread.sleep(100);
      assertThat(written).containsExactly("web=INITIALIZE", "web=MASTER");
    }
  }

  @Test
  void oneSlowVirtualIpDoesNotHoldUpTheOthersAndNoneIsWrittenTwiceAtOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger concurrentForWeb = new AtomicInteger();
    AtomicInteger maxConcurrentForWeb = new AtomicInteger();
    List<String> written = new CopyOnWriteArrayList<>();
    try (StatusReporter reporter =
        new StatusReporter(
            (vip, e) -> {
              if (vip.equals("web")) {
                maxConcurrentForWeb.accumulateAndGet(concurrentForWeb.incrementAndGet(), Math::max);
                hold(release);
                concurrentForWeb.decrementAndGet();
              }
              written.add(vip);
              return true;
            })) {
      reporter.submit("web", entry("BACKUP"));
      await()
          .until(
              () ->
                  concurrentForWeb.get()
                      == 1); // its first write hangs; what follows queues behind it
      for (int i = 0; i < 50; i++) {
        reporter.submit("vip-" + i, entry("BACKUP"));
        reporter.submit("web", entry(i % 2 == 0 ? "MASTER" : "BACKUP"));
      }
      await().until(() -> written.size() == 50); // all the others, while web's first write hangs
      release.countDown();
      await().until(() -> written.stream().filter("web"::equals).count() == 2);
      assertThat(maxConcurrentForWeb).hasValue(1);
    }
  }

  /**
   * A write function that records every write and holds the ones for "block-*" VirtualIPs until
   * {@link #release()}: {@link #occupyEveryWriter} leaves all writers busy, so whatever is queued
   * next waits and its order can be seen.
   */
  private static final class HeldWrites {
    final List<String> written = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger blocked = new AtomicInteger();
    // after the release, each writer's first pick waits here until every writer has made its own:
    // a fast writer cannot finish a second write before a slow one records its first
    private final CountDownLatch firstPicks = new CountDownLatch(StatusReporter.WRITERS);
    private volatile boolean released;

    boolean write(String vip, NodeStatus e) {
      if (vip.startsWith("block")) {
        blocked.incrementAndGet();
        hold(release);
      }
      written.add(vip + "=" + e.getState());
      if (released && !vip.startsWith("block")) {
        firstPicks.countDown();
        hold(firstPicks);
      }
      return true;
    }

    void occupyEveryWriter(StatusReporter reporter) {
      for (int i = 0; i < StatusReporter.WRITERS; i++) {
        reporter.submit("block-" + i, entry("BACKUP"));
      }
      await().until(() -> blocked.get() == StatusReporter.WRITERS);
    }

    /**
     * Frees the writers; returns the first writes they made after the held ones, one per writer.
     */
    List<String> release(int skip, int expectedWrites) throws InterruptedException {
      Thread.sleep(50);
      released = true;
      release.countDown();
      await().until(() -> written.size() == expectedWrites);
      // the first write of each writer: the four most urgent entries, in an order up to the threads
      return written.stream()
          .skip(skip)
          .filter(w -> !w.startsWith("block"))
          .toList()
          .subList(0, StatusReporter.WRITERS);
    }
  }

  @Test
  void newsGoesAheadOfHeartbeatRefreshes() throws Exception {
    HeldWrites writes = new HeldWrites();
    try (StatusReporter reporter = new StatusReporter(writes::write)) {
      writes.occupyEveryWriter(reporter);
      for (int i = 0; i < 20; i++) {
        reporter.refresh("old-" + i, entry("BACKUP"));
      }
      reporter.submit("new", entry("MASTER"));
      reporter.refresh(
          "new", entry("BACKUP")); // a refresh does not demote news, and replaces its entry

      // the freed writers take "new" first, though 20 refreshes were queued before it
      assertThat(writes.release(0, StatusReporter.WRITERS + 21)).contains("new=BACKUP");
      assertThat(reporter.writtenWithin("new", Duration.ofMinutes(1))).isTrue();
      assertThat(reporter.writtenWithin("never", Duration.ofMinutes(1))).isFalse();
    }
  }

  @Test
  void whoHoldsTheAddressGoesAheadOfOtherNews() throws Exception {
    HeldWrites writes = new HeldWrites();
    try (StatusReporter reporter = new StatusReporter(writes::write)) {
      reporter.submit("lost", entry("MASTER"));
      await().until(() -> writes.written.contains("lost=MASTER"));
      writes.occupyEveryWriter(reporter);
      for (int i = 0; i < 20; i++) {
        reporter.submit("backup-" + i, entry("BACKUP"));
      }
      reporter.submit("won", entry("MASTER"));
      reporter.submit("lost", entry("BACKUP")); // it held the address: leaving MASTER is as urgent

      assertThat(writes.release(1, 1 + StatusReporter.WRITERS + 22))
          .contains("won=MASTER", "lost=BACKUP");
    }
  }

  @Test
  void aFailedWriteDoesNotCountAsWritten() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    try (StatusReporter reporter = new StatusReporter((vip, e) -> attempts.incrementAndGet() < 0)) {
      reporter.submit("web", entry("MASTER"));
      await().until(() -> attempts.get() == 1);
      Thread.sleep(50);
      assertThat(reporter.writtenWithin("web", Duration.ofMinutes(1))).isFalse();
    }
  }

  @Test
  void afterTheApiServerWasUnreachableEveryEntryIsDueAgain() throws Exception {
    AtomicBoolean reachable = new AtomicBoolean(true);
    try (StatusReporter reporter =
        new StatusReporter(
            (vip, e) -> {
              if (!reachable.get()) {
                throw new StatusReporter.Unreachable(new IOException("timed out"));
              }
              return true;
            })) {
      reporter.submit("db", entry("BACKUP"));
      await().until(() -> reporter.writtenWithin("db", Duration.ofMinutes(1)));

      reachable.set(false);
      reporter.submit("web", entry("MASTER"));
      Thread.sleep(50);
      assertThat(reporter.writtenWithin("web", Duration.ofMinutes(1))).isFalse();
      assertThat(reporter.writtenWithin("db", Duration.ofMinutes(1)))
          .as("written before the outage, due at its heartbeat")
          .isTrue();

      // back: the first write goes through, and every entry (that one too: it was built during
      // the outage) is due for a refresh with a current heartbeat
      reachable.set(true);
      reporter.refresh("web", entry("MASTER"));
      await().pollDelay(Duration.ofMillis(50)).until(() -> true);
      assertThat(reporter.writtenWithin("web", Duration.ofMinutes(1))).isFalse();
      assertThat(reporter.writtenWithin("db", Duration.ofMinutes(1))).isFalse();

      // and once rewritten they count as written again
      reporter.refresh("web", entry("MASTER"));
      await().until(() -> reporter.writtenWithin("web", Duration.ofMinutes(1)));
    }
  }

  @Test
  void aRefusedWriteIsNoOutage() throws Exception {
    try (StatusReporter reporter = new StatusReporter((vip, e) -> !vip.equals("bad"))) {
      reporter.submit("db", entry("BACKUP"));
      await().until(() -> reporter.writtenWithin("db", Duration.ofMinutes(1)));
      reporter.submit("bad", entry("BACKUP"));
      reporter.submit("web", entry("BACKUP"));
      await().until(() -> reporter.writtenWithin("web", Duration.ofMinutes(1)));
      assertThat(reporter.writtenWithin("db", Duration.ofMinutes(1)))
          .as("one VirtualIP's refused entry does not make every other one due")
          .isTrue();
    }
  }

  @Test
  void theFirstEntryThroughAfterAFailedWriteIsRefreshedAgainAtOnce() throws Exception {
    AtomicBoolean refusing = new AtomicBoolean(true);
    AtomicInteger attempts = new AtomicInteger();
    try (StatusReporter reporter =
        new StatusReporter(
            (vip, e) -> {
              attempts.incrementAndGet();
              return !refusing.get();
            })) {
      reporter.submit("db", entry("BACKUP"));
      reporter.submit("web", entry("MASTER"));
      await().until(() -> attempts.get() == 2);
      refusing.set(false);

      // a refresh built while the write failed gets through: it may carry a heartbeat from the
      // failure, so it does not count as this heartbeat's write
      reporter.refresh("web", entry("MASTER"));
      await().until(() -> attempts.get() == 3);
      Thread.sleep(50);
      assertThat(reporter.writtenWithin("web", Duration.ofMinutes(1))).isFalse();

      // the next one counts; the other VirtualIP's first write failed too, so its own first entry
      // through does not count either, and its next one does
      reporter.refresh("web", entry("MASTER"));
      await().until(() -> reporter.writtenWithin("web", Duration.ofMinutes(1)));
      reporter.submit("db", entry("BACKUP"));
      await().until(() -> attempts.get() == 5);
      Thread.sleep(50);
      assertThat(reporter.writtenWithin("db", Duration.ofMinutes(1))).isFalse();
      reporter.submit("db", entry("BACKUP"));
      await().until(() -> reporter.writtenWithin("db", Duration.ofMinutes(1)));
    }
  }

  private static void hold(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
