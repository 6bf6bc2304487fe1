package dev.vrrp.agent.loop;

import dev.vrrp.agent.config.InstanceSettings;
import dev.vrrp.agent.health.HealthTracker;
import dev.vrrp.agent.health.HealthVerdict;
import dev.vrrp.agent.net.AddressManager;
import dev.vrrp.agent.net.AddressManager.InterfaceAddress;
import dev.vrrp.agent.net.AdvertisementSender;
import dev.vrrp.agent.net.Announcements;
import dev.vrrp.agent.net.MacAddress;
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
import java.util.Set;
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
  private final AdvertisementSender sender;
  private final Consumer<byte[]> frames;
  private final AddressManager addressManager;
  private List<InterfaceAddress> addresses;
  private List<InterfaceAddress> previousAddresses = List.of();
  private final MacAddress announceMac;
  private final InetAddress linkLocal;
  private final AgentMetrics metrics;
  private final Clock clock;
  private final Consumer<InstanceStatus> transitions;
  private final Map<TimerKind, ScheduledFuture<?>> timers = new EnumMap<>(TimerKind.class);
  private final List<ScheduledFuture<?>> announcements = new ArrayList<>();
  private final Map<String, Long> discards = new java.util.concurrent.ConcurrentHashMap<>();
  private static final long REANNOUNCE_NANOS = 1_000_000_000L;
  private long lastBurstNanos = System.nanoTime() - REANNOUNCE_NANOS;
  private ScheduledFuture<?> refreshTask;
  private HealthTracker health;
  private HealthVerdict verdict = HealthVerdict.HEALTHY;
  private volatile EngineFacts facts;
  private final String source;
  private volatile List<String> addressTexts;
  private Instant lastTransition;
  private boolean conflictLogged;
  private boolean mismatchLogged;
  // why the addresses could not be put on the interface: raised as a fault once the batch is done
  private String pendingAddressFault;
  private String addressFault;
  private Duration addressRetry = ADDRESS_RETRY_FIRST;
  private ScheduledFuture<?> addressRetryTask;
  static final Duration ADDRESS_RETRY_FIRST = Duration.ofSeconds(5);
  static final Duration ADDRESS_RETRY_LONGEST = Duration.ofMinutes(5);

  InstanceRunner(
      InstanceSettings settings,
      VrrpInstance engine,
      ScheduledExecutorService loop,
      AdvertisementSender sender,
      Consumer<byte[]> frames,
      AddressManager addressManager,
      List<InterfaceAddress> addresses,
      MacAddress announceMac,
      InetAddress linkLocal,
      AgentMetrics metrics,
      Clock clock,
      Consumer<InstanceStatus> transitions) {
    this.transitions = transitions;
    this.settings = settings;
    this.engine = engine;
    this.loop = loop;
    this.sender = sender;
    this.frames = frames;
    this.addressManager = addressManager;
    this.addresses = List.copyOf(addresses);
    this.announceMac = announceMac;
    this.linkLocal = linkLocal;
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

  /**
   * Removes addresses a crashed predecessor may have left, unless we own them (we will add them).
   */
  void clearLeftovers() {
    if (engine.config().isAddressOwner()) {
      return;
    }
    try {
      // Same configuration, same prefixes: a direct, idempotent delete (one netlink call each, no
      // listing) keeps starting 1000 instances fast.
      addressManager.remove(settings.interfaceName(), addresses);
    } catch (IOException e) {
      LOG.warn("{}: could not clear leftover addresses: {}", name(), e.getMessage());
    }
  }

  /**
   * Serves another address list without a restart (VirtualIPs joining or leaving a shared VRID): a
   * master adds and announces only the new addresses and removes only the dropped ones. Only for an
   * engine that {@link VrrpInstance#changesAddressesLive}.
   */
  void changeAddresses(List<InterfaceAddress> next) {
    List<InterfaceAddress> before = addresses;
    addresses = List.copyOf(next);
    previousAddresses = before;
    try {
      handle(new Event.AddressesChanged(next.stream().map(InterfaceAddress::address).toList()));
    } finally {
      previousAddresses = List.of();
    }
    addressTexts = addresses.stream().map(InterfaceAddress::toString).toList();
    LOG.info("{}: now serving {}", name(), addressTexts);
  }

  void handle(Event event) {
    if (event instanceof Event.AdvertisementReceived) {
      metrics.received.increment();
    }
    boolean changed = false;
    for (Action action : engine.handle(event)) {
      apply(action);
      changed |= action instanceof Action.StateChanged;
    }
    refreshStatus();
    if (changed) {
      transitions.accept(status());
    }
    if (pendingAddressFault != null) {
      String why = pendingAddressFault;
      pendingAddressFault = null;
      raiseAddressFault(why);
    }
  }

  /**
   * The addresses could not be added (a node's own address, an interface gone, an error of the
   * kernel): a master that cannot serve them must not claim them, so the instance goes to FAULT
   * (priority-0 resignation) and says why; it looks again after a while, longer each time.
   */
  private void raiseAddressFault(String why) {
    if (addressFault != null) {
      return;
    }
    addressFault = "addresses: " + why;
    handle(new Event.FaultRaised(addressFault));
    Duration wait = addressRetry;
    addressRetry =
        addressRetry.multipliedBy(2).compareTo(ADDRESS_RETRY_LONGEST) > 0
            ? ADDRESS_RETRY_LONGEST
            : addressRetry.multipliedBy(2);
    addressRetryTask = loop.schedule(this::retryAddresses, wait.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Clears the address fault unless an address is still someone else's (then it waits again). */
  private void retryAddresses() {
    try {
      List<java.net.InetAddress> wanted =
          addresses.stream().map(InterfaceAddress::address).toList();
      if (!addressManager.foreign(wanted).isEmpty()) {
        addressRetryTask =
            loop.schedule(this::retryAddresses, addressRetry.toNanos(), TimeUnit.NANOSECONDS);
        return;
      }
    } catch (IOException e) {
      LOG.warn("{}: cannot list the node's addresses: {}", name(), e.getMessage());
    }
    String fault = addressFault;
    addressFault = null;
    if (fault != null) {
      LOG.info("{}: trying the addresses again", name());
      handle(new Event.FaultCleared(fault));
    }
  }

  void closeSender() {
    if (sender instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.debug("{}: closing sender: {}", name(), e.toString());
      }
    }
  }

  private void applyVerdict(HealthVerdict next, String why) {
    Set<String> raised = new HashSet<>(next.faultingChecks());
    raised.removeAll(verdict.faultingChecks());
    Set<String> cleared = new HashSet<>(verdict.faultingChecks());
    cleared.removeAll(next.faultingChecks());
    verdict = next;
    LOG.info("{}: health: {}", name(), why);
    raised.forEach(check -> handle(new Event.FaultRaised(check)));
    handle(new Event.PriorityChanged(settings.priority() + next.priorityDelta()));
    cleared.forEach(check -> handle(new Event.FaultCleared(check)));
  }

  private void apply(Action action) {
    if (action instanceof Action.SendAdvertisement send) {
      sendAdvertisement(send.priority());
    } else if (action instanceof Action.AddAddresses) {
      changeAddresses(true);
    } else if (action instanceof Action.RemoveAddresses) {
      changeAddresses(false);
    } else if (action instanceof Action.AnnounceAddresses) {
      if (pendingAddressFault == null) {
        announce(); // never announce an address this node does not hold
      }
    } else if (action instanceof Action.ChangeAddresses change) {
      changeAddresses(change);
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
      sender.send(adv);
      metrics.sent.increment();
    } catch (IOException e) {
      LOG.warn("{}: advertisement not sent: {}", name(), e.getMessage());
    }
  }

  private void changeAddresses(boolean add) {
    try {
      if (add) {
        addressManager.add(settings.interfaceName(), addresses);
        addressRetry = ADDRESS_RETRY_FIRST;
      } else {
        addressManager.remove(settings.interfaceName(), addresses);
      }
    } catch (IOException e) {
      LOG.error(
          "{}: could not {} {}: {}", name(), add ? "add" : "remove", addresses, e.getMessage());
      if (add) {
        pendingAddressFault = e.getMessage();
      }
    }
  }

  private void changeAddresses(Action.ChangeAddresses change) {
    List<InterfaceAddress> added =
        addresses.stream().filter(a -> change.added().contains(a.address())).toList();
    List<InterfaceAddress> removed =
        previousAddresses.stream().filter(a -> change.removed().contains(a.address())).toList();
    try {
      if (!removed.isEmpty()) {
        addressManager.remove(settings.interfaceName(), removed);
      }
      if (!added.isEmpty()) {
        addressManager.add(settings.interfaceName(), added);
      }
    } catch (IOException e) {
      LOG.error(
          "{}: could not change addresses (+{} -{}): {}", name(), added, removed, e.getMessage());
      pendingAddressFault = e.getMessage();
      return;
    }
    announceBurst(added);
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
    announceBurst(addresses);
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
    if (engine.state() == VrrpState.MASTER) {
      announceBurst(addresses);
    }
  }

  private void announceBurst(List<InterfaceAddress> which) {
    for (int i = 0; i < settings.announce().repeat(); i++) {
      for (InterfaceAddress address : which) {
        frames.accept(Announcements.announce(address.address(), announceMac, linkLocal));
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
    if (addressRetryTask != null) {
      addressRetryTask.cancel(false);
    }
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
        settings.priority(),
        f.effectivePriority(),
        f.master(),
        source,
        f.transitions(),
        f.lastTransition(),
        addressTexts,
        f.faults(),
        checks,
        counters);
  }

  /** What the engine says that /state shows; replaced only when it changes, not per packet. */
  private record EngineFacts(
      String state,
      int effectivePriority,
      String master,
      long transitions,
      java.time.Instant lastTransition,
      List<String> faults) {}

  private void refreshStatus() {
    InetAddress master = engine.masterAddress();
    EngineFacts f = facts;
    if (f != null
        && f.transitions() == engine.transitions()
        && f.effectivePriority() == engine.effectivePriority()
        && java.util.Objects.equals(f.master(), master == null ? null : master.getHostAddress())
        && f.faults().size() == engine.faultCount()) {
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
            List.copyOf(engine.faults()));
  }
}
