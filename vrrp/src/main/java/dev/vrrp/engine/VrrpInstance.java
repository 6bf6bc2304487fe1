package dev.vrrp.engine;

import dev.vrrp.engine.Action.AddAddresses;
import dev.vrrp.engine.Action.AddressMismatch;
import dev.vrrp.engine.Action.AnnounceAddresses;
import dev.vrrp.engine.Action.ArmTimer;
import dev.vrrp.engine.Action.CancelTimer;
import dev.vrrp.engine.Action.ConflictingMaster;
import dev.vrrp.engine.Action.Discard;
import dev.vrrp.engine.Action.RemoveAddresses;
import dev.vrrp.engine.Action.SendAdvertisement;
import dev.vrrp.engine.Action.StateChanged;
import dev.vrrp.packet.Advertisement;
import dev.vrrp.packet.IpFamily;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One virtual router, RFC 5798 section 6: events in, actions out. No threads, sockets or clocks;
 * the driver owns time and calls {@link #handle} from one thread.
 */
public final class VrrpInstance {
  private InstanceConfig config;
  private Duration advertisementInterval;
  private Duration masterAdverInterval;
  private int effectivePriority;

  /** The priority health tracking asked for; {@link #effectivePriority} unless draining. */
  private int healthPriority;

  private boolean draining;
  private VrrpState state = VrrpState.INITIALIZE;
  private boolean running;
  private final Set<String> faults = new LinkedHashSet<>();
  private final Set<TimerKind> armed = EnumSet.noneOf(TimerKind.class);
  private boolean preemptDelayElapsed;
  private InetAddress masterAddress;
  private long transitions;

  public VrrpInstance(InstanceConfig config) {
    this.config = config;
    this.advertisementInterval = config.advertisementInterval();
    this.masterAdverInterval = advertisementInterval;
    this.effectivePriority = config.priority();
    this.healthPriority = effectivePriority;
  }

  public List<Action> handle(Event event) {
    List<Action> out = new ArrayList<>();
    if (event instanceof Event.Startup startup) {
      onStartup(startup.claim(), out);
    } else if (event instanceof Event.Shutdown) {
      onShutdown(out);
    } else if (event instanceof Event.AdvertisementReceived received) {
      onAdvertisement(received.advertisement(), received.source(), out);
    } else if (event instanceof Event.TimerExpired expired) {
      onTimer(expired.timer(), out);
    } else if (event instanceof Event.PriorityChanged changed) {
      onPriorityChanged(changed.effectivePriority(), out);
    } else if (event instanceof Event.FaultRaised raised) {
      onFaultRaised(raised.source(), out);
    } else if (event instanceof Event.FaultCleared cleared) {
      onFaultCleared(cleared.source(), out);
    } else if (event instanceof Event.AdvertisementIntervalChanged changed) {
      onIntervalChanged(changed.interval(), out);
    } else if (event instanceof Event.AddressesChanged changed) {
      onAddressesChanged(changed.addresses(), out);
    } else if (event instanceof Event.DrainChanged drain) {
      onDrainChanged(drain.draining(), out);
    }
    return out;
  }

  // RFC 5798 6.4.1: the owner goes straight to Master, everyone else waits as Backup.
  private void onStartup(boolean claim, List<Action> out) {
    if (running) {
      return;
    }
    running = true;
    enterServingState(out, claim ? "startup, claiming" : "startup", claim);
  }

  private void enterServingState(List<Action> out, String reason, boolean claim) {
    if (!faults.isEmpty()) {
      changeState(VrrpState.FAULT, "fault: " + String.join(", ", faults), out);
    } else if (config.isAddressOwner()) {
      becomeMaster(out, reason + ", address owner");
    } else {
      masterAdverInterval = advertisementInterval;
      changeState(VrrpState.BACKUP, reason, out);
      arm(
          TimerKind.MASTER_DOWN,
          Timers.startupWait(config.version(), effectivePriority, advertisementInterval, claim),
          out);
    }
  }

  // RFC 5798 6.4.2 / 6.4.3 Shutdown; a master resigns with priority 0 so backups take over after
  // Skew_Time.
  private void onShutdown(List<Action> out) {
    if (!running) {
      return;
    }
    running = false;
    leaveCurrentState(out);
    changeState(VrrpState.INITIALIZE, "shutdown", out);
  }

  private void leaveCurrentState(List<Action> out) {
    cancelAll(out);
    if (state == VrrpState.MASTER) {
      out.add(new SendAdvertisement(0));
      out.add(new RemoveAddresses());
    }
    preemptDelayElapsed = false;
    masterAddress = null;
  }

  private void onTimer(TimerKind timer, List<Action> out) {
    if (!armed.remove(timer)) {
      // A timer we cancelled or re-armed: the driver raced us. Nothing to do.
      return;
    }
    switch (timer) {
      case ADVERTISEMENT -> {
        // RFC 5798 6.4.3: Adver_Timer fires -> send an advertisement, reset the timer.
        out.add(new SendAdvertisement(effectivePriority));
        arm(TimerKind.ADVERTISEMENT, advertisementInterval, out);
      }
      // RFC 5798 6.4.2: Master_Down_Timer fires -> become Master.
      case MASTER_DOWN -> becomeMaster(out, "master down");
      case PREEMPT_DELAY -> preemptDelayElapsed = true;
    }
  }

  private void onAdvertisement(Advertisement adv, InetAddress source, List<Action> out) {
    if (state != VrrpState.BACKUP && state != VrrpState.MASTER) {
      return;
    }
    DiscardReason refused = check(adv);
    if (refused != null) {
      out.add(new Discard(refused, source));
      return;
    }
    if (!sameAddresses(adv)) {
      if (config.version() == 2 && adv.priority() != InstanceConfig.OWNER_PRIORITY) {
        out.add(new Discard(DiscardReason.ADDRESS_MISMATCH, source));
        return;
      }
      out.add(new AddressMismatch(source));
    }
    if (state == VrrpState.BACKUP) {
      backupReceives(adv, source, out);
    } else {
      masterReceives(adv, source, out);
    }
  }

  // RFC 5798 7.1 and RFC 3768 7.1, the checks that need our configuration.
  private DiscardReason check(Advertisement adv) {
    if (adv.virtualRouterId() != config.virtualRouterId()) {
      return DiscardReason.VRID_MISMATCH;
    }
    if (adv.version() != config.version()) {
      return DiscardReason.VERSION_MISMATCH;
    }
    if (adv.family() != config.family()) {
      return DiscardReason.FAMILY_MISMATCH;
    }
    if (config.isAddressOwner()) {
      return DiscardReason.LOCAL_ADDRESS_OWNER;
    }
    if (config.version() == 2) {
      if (adv.authType() != config.authType()
          || (config.password() != null
              && !Arrays.equals(adv.authData(), Advertisement.passwordBytes(config.password())))) {
        return DiscardReason.AUTH_MISMATCH;
      }
      if (adv.intervalCentis() != Timers.toCentis(advertisementInterval)) {
        return DiscardReason.INTERVAL_MISMATCH;
      }
    }
    return null;
  }

  private boolean sameAddresses(Advertisement adv) {
    return new HashSet<>(adv.addresses()).equals(new HashSet<>(config.addresses()));
  }

  // RFC 5798 6.4.2, Backup receives an ADVERTISEMENT.
  private void backupReceives(Advertisement adv, InetAddress source, List<Action> out) {
    if (adv.priority() == 0) {
      // The master resigned: take over after Skew_Time, highest priority first.
      arm(
          TimerKind.MASTER_DOWN,
          Timers.skewTime(config.version(), effectivePriority, masterAdverInterval),
          out);
      return;
    }
    boolean lowerThanUs = adv.priority() < effectivePriority;
    if (config.preempt() && lowerThanUs && !holdBackPreemption(out)) {
      // Discard: let Master_Down_Timer expire so we preempt the lower-priority master.
      return;
    }
    if (!lowerThanUs && armed.contains(TimerKind.PREEMPT_DELAY)) {
      cancel(TimerKind.PREEMPT_DELAY, out);
    }
    if (!lowerThanUs) {
      preemptDelayElapsed = false;
    }
    masterAddress = source;
    if (config.version() == 3) {
      masterAdverInterval = Timers.centis(adv.intervalCentis());
    }
    arm(TimerKind.MASTER_DOWN, masterDownInterval(), out);
  }

  /** keepalived's preempt_delay: tolerate a lower-priority master until the delay has passed. */
  private boolean holdBackPreemption(List<Action> out) {
    if (config.preemptDelay().isZero() || preemptDelayElapsed) {
      return false;
    }
    if (!armed.contains(TimerKind.PREEMPT_DELAY)) {
      arm(TimerKind.PREEMPT_DELAY, config.preemptDelay(), out);
    }
    return true;
  }

  // RFC 5798 6.4.3, Master receives an ADVERTISEMENT.
  private void masterReceives(Advertisement adv, InetAddress source, List<Action> out) {
    if (adv.priority() == 0) {
      // Someone resigned; answer at once so its backups do not wait out Skew_Time for nothing.
      out.add(new SendAdvertisement(effectivePriority));
      arm(TimerKind.ADVERTISEMENT, advertisementInterval, out);
      return;
    }
    if (adv.priority() > effectivePriority
        || (adv.priority() == effectivePriority
            && compareAddresses(source, config.primaryAddress()) > 0)) {
      cancel(TimerKind.ADVERTISEMENT, out);
      out.add(new RemoveAddresses());
      masterAddress = source;
      if (config.version() == 3) {
        masterAdverInterval = Timers.centis(adv.intervalCentis());
      } else {
        masterAdverInterval = advertisementInterval;
      }
      changeState(VrrpState.BACKUP, "higher priority master " + source.getHostAddress(), out);
      arm(TimerKind.MASTER_DOWN, masterDownInterval(), out);
      return;
    }
    // The RFC says discard. Like keepalived we also assert ourselves at once, so the other master
    // yields without waiting for our next timer, and refresh the neighbours' caches.
    out.add(new ConflictingMaster(source, adv.priority()));
    out.add(new SendAdvertisement(effectivePriority));
    out.add(new AnnounceAddresses());
  }

  private void onPriorityChanged(int requested, List<Action> out) {
    if (config.isAddressOwner()) {
      // The address owner's 255 is a fact about address ownership, not a health score.
      return;
    }
    healthPriority = Math.max(1, Math.min(InstanceConfig.OWNER_PRIORITY - 1, requested));
    if (draining || healthPriority == effectivePriority) {
      return;
    }
    effectivePriority = healthPriority;
    if (state == VrrpState.MASTER) {
      // Tell the backups now: one with preemption and a higher priority can take over.
      out.add(new SendAdvertisement(effectivePriority));
      arm(TimerKind.ADVERTISEMENT, advertisementInterval, out);
    }
    // A backup uses the new priority at the next advertisement it receives (preemption, skew).
  }

  /**
   * Planned maintenance, not in the RFC: the lowest priority while draining, and a master hands
   * over with priority 0 (RFC 5798 6.4.3's shutdown advertisement) so a backup takes over after
   * Skew_Time, not Master_Down_Interval, while this router keeps listening as a backup. Leaving
   * maintenance restores the priority; preemption (if configured) brings the addresses back.
   */
  private void onDrainChanged(boolean on, List<Action> out) {
    if (config.isAddressOwner() || on == draining) {
      // The owner's addresses are its own: no other router can take them.
      return;
    }
    draining = on;
    effectivePriority = on ? 1 : healthPriority;
    if (state != VrrpState.MASTER) {
      // A backup uses its new priority at the next advertisement it receives.
      return;
    }
    if (on) {
      leaveCurrentState(out);
      masterAdverInterval = advertisementInterval;
      changeState(VrrpState.BACKUP, "draining: handed over with priority 0", out);
      arm(TimerKind.MASTER_DOWN, masterDownInterval(), out);
    } else {
      // Still master (nobody else was there): advertise the restored priority now.
      out.add(new SendAdvertisement(effectivePriority));
      arm(TimerKind.ADVERTISEMENT, advertisementInterval, out);
    }
  }

  private void onFaultRaised(String source, List<Action> out) {
    boolean wasHealthy = faults.isEmpty();
    faults.add(source);
    if (!wasHealthy || !running) {
      return;
    }
    leaveCurrentState(out);
    changeState(VrrpState.FAULT, "fault: " + source, out);
  }

  private void onFaultCleared(String source, List<Action> out) {
    if (!faults.remove(source) || !faults.isEmpty() || !running || state != VrrpState.FAULT) {
      return;
    }
    enterServingState(out, "fault cleared: " + source, false);
  }

  /**
   * Whether {@link Event.AddressesChanged} may be handed in: {@link
   * InstanceConfig#changesAddressesLive}.
   */
  public boolean changesAddressesLive() {
    return InstanceConfig.changesAddressesLive(config.version());
  }

  private void onAddressesChanged(List<InetAddress> addresses, List<Action> out) {
    if (!changesAddressesLive()) {
      throw new IllegalStateException(
          "a VRRPv2 instance cannot change its addresses live; the driver must "
              + "ask changesAddressesLive() and restart it");
    }
    InstanceConfig changed = config.withAddresses(addresses); // validates: family, count
    List<InetAddress> added = new ArrayList<>(changed.addresses());
    added.removeAll(config.addresses());
    List<InetAddress> removed = new ArrayList<>(config.addresses());
    removed.removeAll(changed.addresses());
    config = changed;
    if (state == VrrpState.MASTER && (!added.isEmpty() || !removed.isEmpty())) {
      out.add(new Action.ChangeAddresses(List.copyOf(added), List.copyOf(removed)));
      // Backups see the new list at once instead of a mismatch until the next advertisement.
      out.add(new SendAdvertisement(effectivePriority));
      arm(TimerKind.ADVERTISEMENT, advertisementInterval, out);
    }
  }

  private void onIntervalChanged(Duration interval, List<Action> out) {
    config.withAdvertisementInterval(interval); // validates
    if (interval.equals(advertisementInterval)) {
      return;
    }
    advertisementInterval = interval;
    if (config.version() == 2) {
      masterAdverInterval = interval;
    }
    if (state == VrrpState.MASTER) {
      // Advertise the new interval now; v3 backups learn it from this very packet.
      out.add(new SendAdvertisement(effectivePriority));
      arm(TimerKind.ADVERTISEMENT, advertisementInterval, out);
    }
  }

  private void becomeMaster(List<Action> out, String reason) {
    cancelAll(out);
    preemptDelayElapsed = false;
    changeState(VrrpState.MASTER, reason, out);
    masterAddress = config.primaryAddress();
    // RFC 5798 6.4.1/6.4.2 order: the advertisement first, so the other backups (whose
    // Master_Down timers run out a skew later) stand down before the slower address change.
    out.add(new SendAdvertisement(effectivePriority));
    out.add(new AddAddresses());
    out.add(new AnnounceAddresses());
    arm(TimerKind.ADVERTISEMENT, advertisementInterval, out);
  }

  private void changeState(VrrpState next, String reason, List<Action> out) {
    if (next == state) {
      return;
    }
    out.add(new StateChanged(state, next, reason));
    state = next;
    transitions++;
  }

  private void arm(TimerKind timer, Duration delay, List<Action> out) {
    armed.add(timer);
    out.add(new ArmTimer(timer, delay));
  }

  private void cancel(TimerKind timer, List<Action> out) {
    if (armed.remove(timer)) {
      out.add(new CancelTimer(timer));
    }
  }

  private void cancelAll(List<Action> out) {
    for (TimerKind timer : TimerKind.values()) {
      cancel(timer, out);
    }
  }

  private Duration masterDownInterval() {
    return Timers.masterDownInterval(config.version(), effectivePriority, masterAdverInterval);
  }

  /** Unsigned comparison of two addresses of the same family, as RFC 5798 6.4.3 compares them. */
  static int compareAddresses(InetAddress a, InetAddress b) {
    return Arrays.compareUnsigned(a.getAddress(), b.getAddress());
  }

  public VrrpState state() {
    return state;
  }

  public InstanceConfig config() {
    return config;
  }

  public int effectivePriority() {
    return effectivePriority;
  }

  /** Whether the node is in planned maintenance ({@link Event.DrainChanged}). */
  public boolean draining() {
    return draining;
  }

  public Duration advertisementInterval() {
    return advertisementInterval;
  }

  public Duration masterAdverInterval() {
    return masterAdverInterval;
  }

  /** The current master's address as far as this instance knows, or null. */
  public InetAddress masterAddress() {
    return masterAddress;
  }

  public long transitions() {
    return transitions;
  }

  public Set<String> faults() {
    return Set.copyOf(faults);
  }

  public int faultCount() {
    return faults.size();
  }

  /** The advertisement to send for a {@link SendAdvertisement} action. */
  public Advertisement advertisement(int priority) {
    return config.advertisement(priority, advertisementInterval);
  }

  public IpFamily family() {
    return config.family();
  }
}
