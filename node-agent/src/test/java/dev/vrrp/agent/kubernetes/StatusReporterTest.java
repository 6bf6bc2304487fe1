package dev.vrrp.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vrrp.api.v1alpha1.NodeStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    try (StatusReporter reporter = new StatusReporter((vip, e) -> {
      written.add(vip + "=" + e.getState());
      if (e.getState().equals("INITIALIZE")) {
        hold(release);
      }
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
    try (StatusReporter reporter = new StatusReporter((vip, e) -> {
      if (vip.equals("web")) {
        maxConcurrentForWeb.accumulateAndGet(concurrentForWeb.incrementAndGet(), Math::max);
        hold(release);
        concurrentForWeb.decrementAndGet();
      }
      written.add(vip);
    })) {
      reporter.submit("web", entry("BACKUP"));
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

  private static void hold(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
