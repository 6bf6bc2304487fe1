package dev.vrrp.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vrrp.agent.config.CheckSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthTrackerTest {
  private static final Duration FAST = Duration.ofMillis(50);
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final RecordingListener listener = new RecordingListener();

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

  @Test
  void execCheckOnAFileFaultsTheInstanceWhileTheFileIsGone() throws Exception {
    Path flag = Files.createFile(dir.resolve("healthy"));
    CheckSettings check =
        TestChecks.exec("flag", List.of("test", "-e", flag.toString()), FAST, 2, 2, 0);

    try (HealthTracker tracker = new HealthTracker(List.of(check), scheduler, listener)) {
      tracker.start();
      await().atMost(WAIT).until(() -> tracker.checks().get("flag").healthy());
      assertThat(tracker.current()).isEqualTo(HealthVerdict.HEALTHY);

      Files.delete(flag);
      await().atMost(WAIT).until(() -> tracker.current().faulted());
      assertThat(tracker.current()).isEqualTo(new HealthVerdict(0, Set.of("flag")));
      assertThat(listener.last()).isEqualTo(tracker.current());
      assertThat(listener.reasons()).last().isEqualTo("check 'flag' failing: exit code 1");
      assertThat(tracker.checks().get("flag"))
          .extracting(CheckState::healthy, CheckState::detail, CheckState::type, CheckState::weight)
          .containsExactly(false, "exit code 1", "EXEC", 0);

      Files.createFile(flag);
      await().atMost(WAIT).until(() -> !tracker.current().faulted());
      assertThat(listener.verdicts())
          .containsExactly(new HealthVerdict(0, Set.of("flag")), HealthVerdict.HEALTHY);
      assertThat(listener.reasons()).last().isEqualTo("check 'flag' healthy: exit code 0");
    }
  }

  @Test
  void weightsMoveThePriorityAsChecksTurn() {
    AtomicBoolean webUp = new AtomicBoolean(true);
    AtomicBoolean dbUp = new AtomicBoolean(true);
    Map<String, Probe> probes =
        Map.of(
            "web", () -> webUp.get() ? ProbeResult.ok("HTTP 200") : ProbeResult.failed("HTTP 503"),
            "db",
                () ->
                    dbUp.get()
                        ? ProbeResult.ok("connected")
                        : ProbeResult.failed("connection refused"));
    List<CheckSettings> checks =
        List.of(
            TestChecks.fake("web", FAST, FAST, 1, 1, 10),
            TestChecks.fake("db", FAST, FAST, 1, 1, -30));

    try (HealthTracker tracker = tracker(checks, settings -> probes.get(settings.name()))) {
      tracker.start();
      await().atMost(WAIT).until(() -> tracker.current().priorityDelta() == 10);

      dbUp.set(false);
      await().atMost(WAIT).until(() -> tracker.current().priorityDelta() == 10 - 30);

      webUp.set(false);
      await().atMost(WAIT).until(() -> tracker.current().priorityDelta() == -30);

      assertThat(listener.verdicts())
          .extracting(HealthVerdict::priorityDelta)
          .containsExactly(10, -20, -30);
      assertThat(listener.verdicts()).allMatch(verdict -> !verdict.faulted());
    }
  }

  @Test
  void aCheckWaitingForItsFirstProbeCountsForNothing() {
    CountDownLatch firstAnswer = new CountDownLatch(1);
    Probe slowFirst =
        () -> {
          firstAnswer.await();
          return ProbeResult.failed("exit code 1");
        };
    CheckSettings check =
        TestChecks.fake("slow", Duration.ofSeconds(30), Duration.ofSeconds(30), 3, 3, 0);

    try (HealthTracker tracker = tracker(List.of(check), settings -> slowFirst)) {
      tracker.start();
      assertThat(tracker.current()).isEqualTo(HealthVerdict.HEALTHY);
      assertThat(tracker.checks().get("slow").detail()).isEqualTo("waiting for the first probe");

      firstAnswer.countDown();

      // fall 3, yet the first result counts at once.
      await().atMost(WAIT).until(() -> tracker.current().faulted());
      assertThat(listener.verdicts()).containsExactly(new HealthVerdict(0, Set.of("slow")));
    }
  }

  @Test
  void aHungProbeFailsItsCheckAtTheDeadlineWhileOtherChecksGoOn() {
    AtomicInteger quickProbes = new AtomicInteger();
    Map<String, Probe> probes =
        Map.of(
            "hung",
                () -> {
                  Thread.sleep(Long.MAX_VALUE);
                  return ProbeResult.ok("never");
                },
            "quick",
                () -> {
                  quickProbes.incrementAndGet();
                  return ProbeResult.ok("exit code 0");
                });
    List<CheckSettings> checks =
        List.of(
            TestChecks.fake("hung", FAST, Duration.ofMillis(100), 1, 1, 0),
            TestChecks.fake("quick", FAST, FAST, 1, 1, 5));

    try (HealthTracker tracker = tracker(checks, settings -> probes.get(settings.name()))) {
      tracker.start();

      await().atMost(WAIT).until(() -> tracker.current().faulted());
      assertThat(tracker.checks().get("hung").detail())
          .isEqualTo("no result within " + (100 + ProbeRunner.GRACE.toMillis()) + "ms");
      int before = quickProbes.get();
      await().atMost(WAIT).until(() -> quickProbes.get() >= before + 5);
      assertThat(tracker.current()).isEqualTo(new HealthVerdict(5, Set.of("hung")));
    }
  }

  @Test
  void aProbeStuckPastItsDeadlineKeepsCountingAsFailures() {
    CountDownLatch never = new CountDownLatch(1);
    Probe uninterruptible =
        () -> {
          // Ignores interrupts, like a DNS lookup inside the JDK.
          while (true) {
            try {
              never.await();
            } catch (InterruptedException e) {
              continue;
            }
          }
        };
    CheckSettings check = TestChecks.fake("stuck", FAST, Duration.ofMillis(50), 3, 1, -7);
    AtomicInteger calls = new AtomicInteger();

    try (HealthTracker tracker =
        tracker(
            List.of(check),
            settings ->
                () -> {
                  return calls.incrementAndGet() == 1
                      ? ProbeResult.ok("exit code 0")
                      : uninterruptible.probe();
                })) {
      tracker.start();

      // healthy at once, then one deadline failure plus two "still running" ones reach fall 3
      await().atMost(WAIT).until(() -> tracker.current().priorityDelta() == -7);
      assertThat(tracker.checks().get("stuck").detail()).startsWith("previous probe still running");
      assertThat(calls.get()).as("never a second probe while one hangs").isEqualTo(2);
    } finally {
      never.countDown();
    }
  }

  @Test
  void closeStopsItsProbesButLeavesTheSharedSchedulerRunning() throws Exception {
    AtomicInteger probes = new AtomicInteger();
    HealthTracker tracker =
        tracker(
            List.of(TestChecks.fake("count", FAST, FAST, 1, 1, 0)),
            settings ->
                () -> {
                  probes.incrementAndGet();
                  return ProbeResult.failed("exit code 1");
                });
    tracker.start();
    await().atMost(WAIT).until(() -> probes.get() >= 3);

    tracker.close();
    int atClose = probes.get();
    Thread.sleep(FAST.toMillis() * 5);

    assertThat(probes.get()).isLessThanOrEqualTo(atClose + 1); // one may have been on its way
    assertThat(scheduler.isShutdown()).isFalse();
    assertThat(
            scheduler
                .schedule(() -> "still works", 0, TimeUnit.MILLISECONDS)
                .get(5, TimeUnit.SECONDS))
        .isEqualTo("still works");
    tracker.close(); // twice is harmless
  }

  @Test
  void checksAreListedInConfigOrder() {
    List<CheckSettings> checks =
        List.of(
            TestChecks.fake("zeta", FAST, FAST, 1, 1, 0),
            TestChecks.fake("alpha", FAST, FAST, 1, 1, 0),
            TestChecks.fake("mid", FAST, FAST, 1, 1, 0));

    try (HealthTracker tracker = tracker(checks, settings -> () -> ProbeResult.ok("fine"))) {
      assertThat(tracker.checks()).containsOnlyKeys("zeta", "alpha", "mid");
      assertThat(tracker.checks().keySet()).containsExactly("zeta", "alpha", "mid");
    }
  }

  @Test
  void twoChecksWithOneNameAreRefused() {
    List<CheckSettings> checks =
        List.of(
            TestChecks.fake("twin", FAST, FAST, 1, 1, 0),
            TestChecks.fake("twin", FAST, FAST, 1, 1, 0));

    assertThatThrownBy(() -> new HealthTracker(checks, scheduler, listener))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twin");
  }

  @Test
  void startsOnlyOnce() {
    try (HealthTracker tracker = new HealthTracker(List.of(), scheduler, listener)) {
      tracker.start();
      assertThatThrownBy(tracker::start).isInstanceOf(IllegalStateException.class);
      assertThat(tracker.current()).isEqualTo(HealthVerdict.HEALTHY);
    }
  }

  private HealthTracker tracker(List<CheckSettings> checks, Function<CheckSettings, Probe> probes) {
    return new HealthTracker(checks, scheduler, listener, probes, Clock.systemUTC());
  }
}
