package dev.vrrp.agent.health;

import dev.vrrp.agent.config.CheckSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one instance's checks on a shared scheduler and folds them into a verdict.
 *
 * <p>The scheduler only keeps time; probes run on a small pool this tracker owns, one thread per
 * check (a check never has two probes in flight), so a slow probe delays nobody else. Results are
 * folded one at a time under this tracker's lock; a changed verdict goes to the listener from that
 * same thread, in order.
 *
 * <p>Until its first probe answers, a check counts for nothing: no priority, no fault. The first
 * probe is launched at {@link #start()}, well before an instance could win an election
 * (Master_Down_Interval is at least three advertisement intervals).
 */
public final class HealthTracker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HealthTracker.class);
  private static final AtomicInteger TRACKERS = new AtomicInteger();

  private final Map<String, TrackedCheck> checks =
      new LinkedHashMap<>(); // guarded by this, in config order
  private final List<ProbeRunner> runners = new ArrayList<>();
  private final ExecutorService probeThreads;
  private final HealthListener listener;
  private final Clock clock;
  private volatile HealthVerdict verdict = HealthVerdict.HEALTHY;
  private boolean started; // guarded by this
  private boolean closed; // guarded by this

  public HealthTracker(
      List<CheckSettings> checks, ScheduledExecutorService scheduler, HealthListener listener) {
    this(checks, scheduler, listener, ProbeFactory::create, Clock.systemUTC());
  }

  /**
   * @param probes builds each check's probe; tests pass fakes
   */
  HealthTracker(
      List<CheckSettings> checks,
      ScheduledExecutorService scheduler,
      HealthListener listener,
      Function<CheckSettings, Probe> probes,
      Clock clock) {
    this.listener = listener;
    this.clock = clock;
    this.probeThreads =
        Executors.newFixedThreadPool(Math.max(1, checks.size()), probeThreadFactory());
    Instant now = clock.instant();
    try {
      for (CheckSettings settings : checks) {
        TrackedCheck check = new TrackedCheck(settings, now);
        if (this.checks.putIfAbsent(settings.name(), check) != null) {
          throw new IllegalArgumentException("two checks are named '" + settings.name() + "'");
        }
        runners.add(
            new ProbeRunner(
                probes.apply(settings),
                settings.interval(),
                ProbeFactory.timeout(settings),
                scheduler,
                probeThreads,
                result -> onResult(check, result)));
      }
    } catch (RuntimeException e) {
      probeThreads.shutdownNow();
      throw e;
    }
  }

  /** Schedules every check at its interval, the first probe right away. */
  public synchronized void start() {
    if (closed || started) {
      throw new IllegalStateException(closed ? "tracker is closed" : "tracker already started");
    }
    started = true;
    runners.forEach(ProbeRunner::start);
  }

  public HealthVerdict current() {
    return verdict;
  }

  /**
   * name -> state, in config order, for the agent's /state JSON. A snapshot: it does not change
   * afterwards.
   */
  public synchronized Map<String, CheckState> checks() {
    Map<String, CheckState> states = new LinkedHashMap<>();
    checks.forEach((name, check) -> states.put(name, check.state()));
    return Collections.unmodifiableMap(states);
  }

  /**
   * Cancels this tracker's probes and stops its probe threads; the shared scheduler keeps running.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    runners.forEach(ProbeRunner::stop);
    probeThreads
        .shutdownNow(); // interrupts running probes; an exec probe kills its script on the way out
  }

  private synchronized void onResult(TrackedCheck check, ProbeResult result) {
    if (closed || !check.apply(result, clock.instant())) {
      return;
    }
    CheckState state = check.state();
    String why =
        "check '"
            + state.name()
            + "' "
            + (state.healthy() ? "healthy" : "failing")
            + ": "
            + result.detail();
    if (state.healthy()) {
      LOG.info("Health {}", why);
    } else {
      LOG.warn("Health {}", why);
    }
    HealthVerdict next =
        VerdictFold.fold(
            checks.values().stream().filter(TrackedCheck::known).map(TrackedCheck::state).toList());
    if (next.equals(verdict)) {
      return;
    }
    verdict = next;
    try {
      listener.verdictChanged(next, why);
    } catch (RuntimeException e) {
      LOG.error("Health listener failed on verdict {}", next, e);
    }
  }

  private static ThreadFactory probeThreadFactory() {
    int tracker = TRACKERS.incrementAndGet();
    AtomicInteger thread = new AtomicInteger();
    return runnable -> {
      Thread t = new Thread(runnable, "health-" + tracker + "-probe-" + thread.incrementAndGet());
      t.setDaemon(true); // a probe stuck in a syscall must not keep the agent from exiting
      return t;
    };
  }
}
