package dev.vrrp.agent.health;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs one check's probe every interval. The shared scheduler only keeps time and never waits: the
 * probe itself runs on the tracker's probe threads. Probes bound their own wait, but if one still
 * overruns its timeout (a hanging DNS lookup, say), a deadline on the scheduler reports it failed,
 * and each interval it keeps running counts as another failure, so a stuck probe fails its check
 * after {@code fall} intervals like any other.
 */
final class ProbeRunner {
  /**
   * How long past its timeout a probe may take to kill its process or close its socket before we
   * give up.
   */
  static final Duration GRACE = Duration.ofMillis(500);

  private final Probe probe;
  private final Duration interval;
  private final Duration deadline;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService probeThreads;
  private final Consumer<ProbeResult> results;
  private final AtomicBoolean busy = new AtomicBoolean();
  private volatile Attempt current;
  private volatile ScheduledFuture<?> ticks;

  ProbeRunner(
      Probe probe,
      Duration interval,
      Duration timeout,
      ScheduledExecutorService scheduler,
      ExecutorService probeThreads,
      Consumer<ProbeResult> results) {
    if (interval == null || interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("a check needs a positive interval, got " + interval);
    }
    this.probe = probe;
    this.interval = interval;
    this.deadline = timeout.plus(GRACE);
    this.scheduler = scheduler;
    this.probeThreads = probeThreads;
    this.results = results;
  }

  /**
   * First probe right away, then one per interval (counted from each launch's end, so launches
   * never pile up).
   */
  void start() {
    ticks =
        scheduler.scheduleWithFixedDelay(this::launch, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
  }

  void stop() {
    ScheduledFuture<?> t = ticks;
    if (t != null) {
      t.cancel(false);
    }
    Attempt a = current;
    if (a != null) {
      a.cancelDeadline();
    }
  }

  private void launch() {
    if (busy.get()) {
      // Still within its deadline: let it finish. Past it (already reported failed): it keeps
      // failing.
      Attempt stuck = current;
      if (stuck != null && stuck.overdue()) {
        results.accept(
            ProbeResult.failed(
                "previous probe still running past its deadline of " + deadline.toMillis() + "ms"));
      }
      return;
    }
    Attempt attempt = new Attempt();
    busy.set(true);
    try {
      attempt.work = probeThreads.submit(() -> run(attempt));
      current = attempt;
      attempt.deadline =
          scheduler.schedule(() -> expire(attempt), deadline.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      busy.set(false); // the tracker is closing; the periodic task is about to be cancelled
    }
  }

  private void run(Attempt attempt) {
    try {
      ProbeResult result;
      try {
        result = probe.probe();
      } catch (RuntimeException e) {
        result = ProbeResult.failed("probe error: " + e);
      }
      if (attempt.settle()) {
        attempt.cancelDeadline();
        results.accept(result);
      }
    } catch (InterruptedException e) {
      Thread.currentThread()
          .interrupt(); // closing, or past the deadline: already reported, nothing to add
    } finally {
      busy.set(false);
    }
  }

  private void expire(Attempt attempt) {
    if (attempt.settle()) {
      attempt.markOverdue();
      attempt.work.cancel(true);
      results.accept(ProbeResult.failed("no result within " + deadline.toMillis() + "ms"));
    }
  }

  /**
   * One launch of the probe; either its result or its deadline settles it, whichever comes first.
   */
  private static final class Attempt {
    private final AtomicBoolean settled = new AtomicBoolean();
    private volatile boolean overdue;
    volatile Future<?> work;
    volatile ScheduledFuture<?> deadline;

    boolean settle() {
      return settled.compareAndSet(false, true);
    }

    void markOverdue() {
      overdue = true;
    }

    boolean overdue() {
      return overdue;
    }

    void cancelDeadline() {
      ScheduledFuture<?> d = deadline;
      if (d != null) {
        d.cancel(false);
      }
    }
  }
}
