package dev.vrrp.agent.loop;

import dev.vrrp.agent.config.InstanceSettings;
import dev.vrrp.agent.health.HealthTracker;
import dev.vrrp.agent.health.HealthVerdict;
import dev.vrrp.agent.net.AddressManager;
import dev.vrrp.agent.net.AddressManager.InterfaceAddress;
import dev.vrrp.agent.net.AdvertisementSender;
import dev.vrrp.agent.net.Announcements;
import dev.vrrp.agent.net.HostAddress;
import dev.vrrp.agent.net.MacAddress;
import dev.vrrp.api.vocabulary.Reason;
import dev.vrrp.engine.Action;
import dev.vrrp.engine.Event;
import dev.vrrp.engine.TimerKind;
import dev.vrrp.engine.VrrpInstance;
import dev.vrrp.engine.VrrpState;
import dev.vrrp.packet.Advertisement;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects one {@link VrrpInstance} to the world: feeds it events and carries out its actions. Runs
 * only on its interface loop's thread, so neither it nor the engine needs a lock.
 */
final class InstanceRunner {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceRunner.class);

  private final InstanceSettings settings;
  private final VrrpInstance engine;
  private final ScheduledExecutorService loop;
  private final NetworkIo io;
  private final AddressKeeper addresses;
  private final AgentMetrics metrics;
  private final Clock clock;
  private final Consumer<InstanceStatus> transitions;
  private final Map<TimerKind, ScheduledFuture<?>> timers = new EnumMap<>(TimerKind.class);
  private final List<ScheduledFuture<?>> announcements = new ArrayList<>();
  private final Map<String, Long> discards = new ConcurrentHashMap<>();
  private static final long REANNOUNCE_NANOS = 1_000_000_000L;
  private long lastBurstNanos = System.nanoTime() - REANNOUNCE_NANOS;
  private ScheduledFuture<?> refreshTask;
  private HealthTracker health;
  private HealthVerdict verdict = HealthVerdict.HEALTHY;
  // the planned base priority: settings' at the start, the operator may change it live
  private volatile int priority;
  private volatile EngineFacts facts;
  private final String source;
  private volatile List<String> addressTexts;
  private Instant lastTransition;
  private boolean conflictLogged;
  private boolean mismatchLogged;
  private String linkFault;

  /**
   * How an instance reaches the world: advertisements ({@code sender}), raw frames for
   * announcements ({@code frames}, from {@code announceMac}, IPv6 from {@code linkLocal}), the
   * node's addresses, and the first-claim probes.
   */
  record NetworkIo(
      AdvertisementSender sender,
      Consumer<byte[]> frames,
      MacAddress announceMac,
      InetAddress linkLocal,
      AddressManager addressManager,
      ProbeRounds probes) {}

  /**
   * @param probe when to ask the segment whether another host uses the addresses before a claim
   */
  InstanceRunner(
      InstanceSettings settings,
      VrrpInstance engine,
      ScheduledExecutorService loop,
      NetworkIo io,
      List<InterfaceAddress> addresses,
      StartOptions.Probe probe,
      AgentMetrics metrics,
      Clock clock,
      Consumer<InstanceStatus> transitions) {
    this.transitions = transitions;
    this.settings = settings;
    this.priority = settings.priority();
    this.engine = engine;
    this.loop = loop;
    this.io = io;
    this.addresses =
        new AddressKeeper(
            settings.name(),
            settings.interfaceName(),
            addresses,
            io.addressManager(),
            io.probes(),
            loop,
            io.announceMac(),
            AddressLease.of(settings.advertisementInterval()),
            engine.config().isAddressOwner() ? StartOptions.Probe.NEVER : probe,
            new AddressKeeper.Instance() {
              @Override
              public void faultRaised(String fault, Reason reason) {
                handle(new Event.FaultRaised(fault));
              }

              @Override
              public void faultCleared(String fault) {
                handle(new Event.FaultCleared(fault));
              }

              @Override
              public void probedFree() {
                announce();
                refreshStatus();
                transitions.accept(status()); // the MASTER held back while it probed
              }

              @Override
              public boolean master() {
                return engine.state() == VrrpState.MASTER;
              }
            });
    this.metrics = metrics;
    this.clock = clock;
    this.lastTransition = clock.instant();
    this.source = engine.config().primaryAddress().getHostAddress();
    this.addressTexts = addresses.stream().map(InterfaceAddress::toString).toList();
    metrics.effectivePriority.set(engine.effectivePriority());
    refreshStatus();
  }

  String name() {
    return settings.name();
  }

  VrrpInstance engine() {
    return engine;
  }

  /** Starts health tracking; its verdicts come back through the loop. */
  void startHealth(ScheduledExecutorService healthScheduler) {
    if (settings.track().isEmpty()) {
      return;
    }
    health =
        new HealthTracker(
            settings.track(),
            healthScheduler,
            (next, why) -> loop.execute(() -> applyVerdict(next, why)));
    health.start();
  }

  /** A node of the VirtualIP holds the addresses now. */
  void held() {
    addresses.held();
  }

  /** Removes addresses a crashed predecessor left (the address owner keeps them: it adds them). */
  void clearLeftovers() {
    if (!engine.config().isAddressOwner()) {
      addresses.clearLeftovers();
    }
  }

  /**
   * Serves another address list without a restart (VirtualIPs joining or leaving a shared VRID): a
   * master adds and announces only the new addresses and removes only the dropped ones. Only for an
   * engine that {@link VrrpInstance#changesAddressesLive}.
   */
  void serve(List<InterfaceAddress> next) {
    addresses.serve(next);
    handle(new Event.AddressesChanged(next.stream().map(InterfaceAddress::address).toList()));
    addressTexts = next.stream().map(InterfaceAddress::toString).toList();
    LOG.info("{}: now serving {}", name(), addressTexts);
  }

  void handle(Event event) {
    if (event instanceof Event.AdvertisementReceived received) {
      metrics.received.increment();
      if (received.advertisement().priority() > 0) {
        addresses.peerHeard();
      }
    }
    boolean changed = false;
    for (Action action : engine.handle(event)) {
      apply(action);
      changed |= action instanceof Action.StateChanged;
    }
    refreshStatus();
    if (changed && !addresses.probing()) {
      // while the first claim probes, the instance is claiming, not holding: it says so afterwards
      transitions.accept(status());
    }
    addresses.raisePending();
  }

  /**
   * The instance's own check of its data path, every few seconds: the link up, and for a master its
   * addresses on the interface. A missing address is put back (and counted); a link that is down is
   * a fault, as keepalived treats its VRRP interface: the instance resigns and stays FAULT until
   * the link is back, so no status names a master that cannot serve, and a node cut off does not
   * come back as a second master.
   *
   * @param host the node's addresses, listed once for all instances
   * @param linkProblem why the interface cannot carry traffic, or null
   */
  void verifyDataPath(List<HostAddress> host, String linkProblem) {
    if (linkProblem != null) {
      if (linkFault == null) {
        linkFault = "data path: " + linkProblem;
        LOG.warn("{}: {}", name(), linkFault);
        handle(new Event.FaultRaised(linkFault));
      }
      return;
    }
    if (linkFault != null) {
      String cleared = linkFault;
      linkFault = null;
      LOG.info("{}: the link of {} is back", name(), settings.interfaceName());
      handle(new Event.FaultCleared(cleared));
    }
    if (engine.state() == VrrpState.MASTER && addresses.announceable()) {
      List<InterfaceAddress> missing = addresses.missingFrom(host);
      if (!missing.isEmpty()) {
        LOG.warn(
            "{}: data path: {} missing from {}; putting it back",
            name(),
            missing,
            settings.interfaceName());
        metrics.dataPathRepaired();
        if (addresses.putBack(missing)) {
          announceBurst(missing);
        }
        addresses.raisePending();
      }
      addresses.renew();
    }
  }

  void closeSender() {
    if (io.sender() instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.debug("{}: closing sender: {}", name(), e.toString());
      }
    }
  }

  /** A new base priority (not the owner's 255): health weights apply on top of it, as before. */
  void changePriority(int next) {
    priority = next;
    handle(new Event.PriorityChanged(priority + verdict.priorityDelta()));
  }

  private void applyVerdict(HealthVerdict next, String why) {
    Set<String> raised = new HashSet<>(next.faultingChecks());
    raised.removeAll(verdict.faultingChecks());
    Set<String> cleared = new HashSet<>(verdict.faultingChecks());
    cleared.removeAll(next.faultingChecks());
    verdict = next;
    LOG.info("{}: health: {}", name(), why);
    raised.forEach(check -> handle(new Event.FaultRaised(check)));
    handle(new Event.PriorityChanged(priority + next.priorityDelta()));
    cleared.forEach(check -> handle(new Event.FaultCleared(check)));
  }

  private void apply(Action action) {
    if (action instanceof Action.SendAdvertisement send) {
      sendAdvertisement(send.priority());
    } else if (action instanceof Action.AddAddresses) {
      addresses.take();
    } else if (action instanceof Action.RemoveAddresses) {
      addresses.release();
    } else if (action instanceof Action.AnnounceAddresses) {
      if (addresses.announceable()) {
        announce(); // never an address this node does not hold (probing, or failed to add)
      }
    } else if (action instanceof Action.ChangeAddresses change) {
      announceBurst(addresses.change(change));
    } else if (action instanceof Action.ArmTimer arm) {
      cancelTimer(arm.timer());
      timers.put(
          arm.timer(),
          loop.schedule(
              () -> handle(new Event.TimerExpired(arm.timer())),
              TimerSlack.delayNanos(arm.timer(), arm.delay(), System.nanoTime()),
              TimeUnit.NANOSECONDS));
    } else if (action instanceof Action.CancelTimer cancel) {
      cancelTimer(cancel.timer());
    } else if (action instanceof Action.StateChanged change) {
      onStateChanged(change);
    } else if (action instanceof Action.Discard discard) {
      discards.merge(discard.reason().name(), 1L, Long::sum);
      metrics.discarded(discard.reason().name());
      LOG.debug(
          "{}: discarded advertisement from {}: {}",
          name(),
          discard.source().getHostAddress(),
          discard.reason());
    } else if (action instanceof Action.ConflictingMaster conflict) {
      metrics.splitBrain.increment();
      if (!conflictLogged) {
        conflictLogged = true;
        LOG.warn(
            "{}: split brain: {} also claims master with priority {} (ours {}); keeping master and "
                + "re-announcing",
            name(),
            conflict.source().getHostAddress(),
            conflict.priority(),
            engine.effectivePriority());
      }
    } else if (action instanceof Action.AddressMismatch mismatch) {
      metrics.addressMismatch.increment();
      if (!mismatchLogged) {
        mismatchLogged = true;
        LOG.warn(
            "{}: {} advertises other addresses for VRID {}: check both configurations",
            name(),
            mismatch.source().getHostAddress(),
            settings.virtualRouterId());
      }
    }
  }

  private void sendAdvertisement(int priority) {
    Advertisement adv = engine.advertisement(priority);
    try {
      io.sender().send(adv);
      metrics.sent.increment();
    } catch (IOException e) {
      LOG.warn("{}: advertisement not sent: {}", name(), e.getMessage());
    }
  }

  // keepalived's garp_master_repeat / garp_master_delay / garp_master_refresh. Re-announcements in
  // a
  // split brain (one per rival advertisement) are held to one burst a second: no ARP storm.
  private void announce() {
    long now = System.nanoTime();
    if (now - lastBurstNanos < REANNOUNCE_NANOS) {
      return;
    }
    lastBurstNanos = now;
    announceBurst(addresses.addresses());
    Duration delay = settings.announce().delay();
    if (!delay.isZero()) {
      announcements.add(
          loop.schedule(this::announceIfMaster, delay.toNanos(), TimeUnit.NANOSECONDS));
    }
    Duration refresh = settings.announce().refresh();
    if (!refresh.isZero() && refreshTask == null) {
      refreshTask =
          loop.scheduleAtFixedRate(
              this::announceIfMaster, refresh.toNanos(), refresh.toNanos(), TimeUnit.NANOSECONDS);
      announcements.add(refreshTask);
    }
  }

  private void announceIfMaster() {
    if (engine.state() == VrrpState.MASTER && addresses.announceable()) {
      announceBurst(addresses.addresses());
    }
  }

  private void announceBurst(List<InterfaceAddress> which) {
    for (int i = 0; i < settings.announce().repeat(); i++) {
      for (InterfaceAddress address : which) {
        io.frames()
            .accept(Announcements.announce(address.address(), io.announceMac(), io.linkLocal()));
      }
    }
  }

  private void onStateChanged(Action.StateChanged change) {
    lastTransition = clock.instant();
    lastBurstNanos = System.nanoTime() - REANNOUNCE_NANOS;
    metrics.transition(change.to());
    if (change.from() == VrrpState.MASTER) {
      announcements.forEach(f -> f.cancel(false));
      announcements.clear();
      refreshTask = null;
    }
    conflictLogged = false;
    mismatchLogged = false;
    LOG.info("{}: {} -> {} ({})", name(), change.from(), change.to(), change.reason());
  }

  private void cancelTimer(TimerKind timer) {
    ScheduledFuture<?> previous = timers.remove(timer);
    if (previous != null) {
      previous.cancel(false);
    }
  }

  void close() {
    if (health != null) {
      health.close();
    }
    timers.values().forEach(f -> f.cancel(false));
    announcements.forEach(f -> f.cancel(false));
    addresses.close();
    metrics.close();
  }

  /** Built on request from the last engine facts and the live counters; safe from any thread. */
  InstanceStatus status() {
    EngineFacts f = facts;
    Map<String, Object> checks = new LinkedHashMap<>();
    if (health != null) {
      checks.putAll(health.checks());
    }
    Map<String, Long> counters = new LinkedHashMap<>();
    counters.put("sent", (long) metrics.sent.count());
    counters.put("received", (long) metrics.received.count());
    counters.put("conflictingMasters", (long) metrics.splitBrain.count());
    discards.forEach((reason, n) -> counters.put("discarded" + reason, n));
    return new InstanceStatus(
        settings.name(),
        settings.interfaceName(),
        settings.virtualRouterId(),
        settings.version(),
        f.state(),
        priority,
        f.effectivePriority(),
        f.master(),
        source,
        f.transitions(),
        f.lastTransition(),
        addressTexts,
        f.faults(),
        faultReason(),
        addresses.probing(),
        f.draining(),
        checks,
        counters);
  }

  private String faultReason() {
    if (addresses.faultReason() != null) {
      return addresses.faultReason().wire();
    }
    return linkFault != null ? Reason.LINK_DOWN.wire() : null;
  }

  /** What the engine says that /state shows; replaced only when it changes, not per packet. */
  private record EngineFacts(
      String state,
      int effectivePriority,
      String master,
      long transitions,
      Instant lastTransition,
      List<String> faults,
      boolean draining) {}

  private void refreshStatus() {
    InetAddress master = engine.masterAddress();
    EngineFacts f = facts;
    if (f != null
        && f.transitions() == engine.transitions()
        && f.effectivePriority() == engine.effectivePriority()
        && Objects.equals(f.master(), master == null ? null : master.getHostAddress())
        && f.faults().size() == engine.faultCount()
        && f.draining() == engine.draining()) {
      return;
    }
    metrics.effectivePriority.set(engine.effectivePriority());
    facts =
        new EngineFacts(
            engine.state().name(),
            engine.effectivePriority(),
            master == null ? null : master.getHostAddress(),
            engine.transitions(),
            lastTransition,
            List.copyOf(engine.faults()),
            engine.draining());
  }
}
