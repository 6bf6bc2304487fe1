package dev.vrrp.agent.kubernetes;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread the Kubernetes mode decides on. Every task it runs is guarded: a Throwable (an
 * {@link Error} included, such as a native library that does not load) ends in a log line and in
 * {@code onFailure}, never in a dropped Future, and a periodic task keeps its schedule after one.
 */
final class Worker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

  private final ScheduledExecutorService executor;
  private final BiConsumer<String, Throwable> onFailure;

  /**
   * @param onFailure told what failed (the task's name) and how, after the log line
   */
  Worker(String threadName, BiConsumer<String, Throwable> onFailure) {
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    this.onFailure = onFailure;
  }

  /** Runs the task soon; after {@link #close} nothing runs any more. */
  void execute(String what, Runnable task) {
    try {
      executor.execute(guarded(what, task));
    } catch (RejectedExecutionException closed) {
      LOG.debug("{}: not run, the worker is closed", what);
    }
  }

  void schedule(String what, Runnable task, Duration delay) {
    try {
      executor.schedule(guarded(what, task), delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      LOG.debug("{}: not scheduled, the worker is closed", what);
    }
  }

  void every(String what, Runnable task, Duration period) {
    executor.scheduleWithFixedDelay(
        guarded(what, task), period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
  }

  private Runnable guarded(String what, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (Throwable t) {
        LOG.error("{} failed", what, t);
        try {
          onFailure.accept(what, t);
        } catch (Throwable again) {
          LOG.error("reporting the failure of {} failed too", what, again);
        }
      }
    };
  }

  /** Lets queued tasks finish for up to two seconds, then stops. */
  @Override
  public void close() {
    executor.shutdown();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    executor.shutdownNow();
  }
}
