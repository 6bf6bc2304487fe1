package dev.vrrp.agent.loop;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single daemon thread that logs what its tasks throw. A plain scheduled executor keeps a task's
 * Throwable in a future nobody reads (and a periodic task that throws silently stops): here every
 * one is logged, with the thread's name, and a periodic task's end is said out loud.
 */
final class LoggingScheduler extends ScheduledThreadPoolExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(LoggingScheduler.class);

  LoggingScheduler(String threadName) {
    super(
        1,
        r -> {
          Thread t = new Thread(r, threadName);
          t.setDaemon(true);
          return t;
        });
    // Backups re-arm Master_Down on every advertisement: drop cancelled timers at once.
    setRemoveOnCancelPolicy(true);
  }

  @Override
  protected void afterExecute(Runnable task, Throwable thrown) {
    super.afterExecute(task, thrown);
    Throwable failure = thrown;
    if (failure == null && task instanceof Future<?> future && future.isDone()) {
      try {
        future.get();
      } catch (CancellationException e) {
        return;
      } catch (ExecutionException e) {
        failure = e.getCause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (failure != null) {
      LOG.error(
          "a task on {} failed (a periodic one runs no more)",
          Thread.currentThread().getName(),
          failure);
    }
  }
}
