package dev.vrrp.agent.loop;

import dev.vrrp.agent.net.AddressInUseException;
import dev.vrrp.agent.net.AddressManager;
import dev.vrrp.agent.net.AddressManager.InterfaceAddress;
import dev.vrrp.agent.net.AddressProbe;
import dev.vrrp.agent.net.HostAddress;
import dev.vrrp.agent.net.MacAddress;
import dev.vrrp.api.vocabulary.Reason;
import dev.vrrp.engine.Action;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance's addresses on its interface: it puts them on when the engine says so (after asking
 * the segment whether another host answers for them, the first time no node of the VirtualIP held
 * them), takes them off, changes them live, and says when it cannot. A master that cannot serve its
 * addresses must not claim them: the keeper raises a fault (the instance resigns with priority 0
 * and goes to FAULT), names the reason, and looks again later, longer each time. Runs on the
 * instance's loop thread, like the runner; the probe runs on a thread of its own.
 */
final class AddressKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(AddressKeeper.class);
  static final Duration RETRY_FIRST = Duration.ofSeconds(5);
  static final Duration RETRY_LONGEST = Duration.ofMinutes(5);

  /** What the keeper tells its instance. */
  interface Instance {
    /**
     * The addresses cannot be served: raise this fault (for the engine) with this reason (for
     * status).
     */
    void faultRaised(String fault, Reason reason);

    void faultCleared(String fault);

    /** The probe found them free: put on now, announce them. */
    void probedFree();

    boolean master();
  }

  private final String name;
  private final String interfaceName;
  private final AddressManager manager;
  private final ProbeRounds probes;
  private final ScheduledExecutorService loop;
  private final MacAddress ownMac;
  private final Duration lease;
  private final Instance instance;
  private List<InterfaceAddress> addresses;
  private List<InterfaceAddress> previous = List.of();
  private StartOptions.Probe probeRule;
  private boolean probing;
  private boolean peerHeardWhileProbing;
  private String pendingFault;
  private Reason pendingReason;
  private String fault;
  private Reason faultReason;
  private Duration retry = RETRY_FIRST;
  private ScheduledFuture<?> retryTask;

  AddressKeeper(
      String name,
      String interfaceName,
      List<InterfaceAddress> addresses,
      AddressManager manager,
      ProbeRounds probes,
      ScheduledExecutorService loop,
      MacAddress ownMac,
      Duration lease,
      StartOptions.Probe probeRule,
      Instance instance) {
    this.name = name;
    this.interfaceName = interfaceName;
    this.addresses = List.copyOf(addresses);
    this.manager = manager;
    this.probes = probes;
    this.loop = loop;
    this.ownMac = ownMac;
    this.lease = lease;
    this.probeRule = probeRule;
    this.instance = instance;
  }

  List<InterfaceAddress> addresses() {
    return addresses;
  }

  /**
   * Whether announcements may go out: the addresses are on the interface (not probing, not failed).
   */
  boolean announceable() {
    return !probing && pendingFault == null;
  }

  /** The reason of the current fault, for the instance's status; null when there is none. */
  Reason faultReason() {
    return fault == null ? null : faultReason;
  }

  /** A peer advertised for the VRID (standalone: it held the addresses, in all likelihood). */
  void peerHeard() {
    peerHeardWhileProbing |= probing;
    if (probeRule == StartOptions.Probe.UNLESS_A_PEER_ADVERTISED) {
      probeRule = StartOptions.Probe.NEVER;
    }
  }

  /**
   * The controller says a node of the VirtualIP holds the addresses: no probe before a takeover.
   */
  void held() {
    probeRule = StartOptions.Probe.NEVER;
  }

  /** Claiming, not holding: the probe runs. The instance does not say MASTER before it is over. */
  boolean probing() {
    return probing;
  }

  /** Removes a crashed predecessor's copies (marked as the agent's; nothing else is touched). */
  void clearLeftovers() {
    try {
      manager.remove(interfaceName, addresses);
    } catch (IOException e) {
      LOG.warn("{}: could not clear leftover addresses: {}", name, e.getMessage());
    }
  }

  /**
   * The engine became master: put the addresses on (probe first, the first time, when asked to).
   */
  void take() {
    if (probing) {
      return;
    }
    if (probeRule != StartOptions.Probe.NEVER) {
      probing = true;
      peerHeardWhileProbing = false;
      List<InetAddress> wanted = addresses.stream().map(InterfaceAddress::address).toList();
      probes.probe(
          interfaceName, ownMac, wanted, result -> loop.execute(() -> probed(result, wanted)));
      return;
    }
    putOn();
  }

  private void probed(ProbeRounds.Result result, List<InetAddress> wanted) {
    probing = false;
    if (!instance.master()) {
      return; // it resigned meanwhile: nothing to put on
    }
    // A rival prober is, in all likelihood, the peer that advertised meanwhile: two routers of the
    // VRID that became master at once. VRRP settles that (the lower one resigns, and a router that
    // resigned keeps nothing), not the MACs; a rival nobody heard advertise is outside VRRP.
    Optional<AddressProbe.InUse> inUse =
        wanted.stream()
            .map(a -> result.inUse().get(a))
            .filter(Objects::nonNull)
            .filter(u -> !(u.rival() && peerHeardWhileProbing))
            .findFirst();
    if (result.error() != null) {
      failLater(
          "cannot check that no other host uses "
              + addresses
              + " before the first claim: "
              + result.error(),
          Reason.ADDRESS_IN_USE);
    } else if (inUse.isPresent()) {
      LOG.error("{}: {}; not taking it", name, inUse.get());
      failLater(inUse.get().toString(), Reason.ADDRESS_IN_USE);
    } else {
      probeRule = StartOptions.Probe.NEVER;
      putOn();
      if (pendingFault == null) {
        instance.probedFree();
      }
    }
    raisePending();
  }

  private void putOn() {
    try {
      manager.add(interfaceName, addresses, lease);
      retry = RETRY_FIRST;
    } catch (AddressInUseException e) {
      LOG.error("{}: {}", name, e.getMessage());
      failLater(e.getMessage(), Reason.NODE_ADDRESS);
    } catch (IOException e) {
      LOG.error("{}: could not add {}: {}", name, addresses, e.getMessage());
      failLater(e.getMessage(), null);
    }
  }

  /**
   * Of the addresses, those the node's interface lacks (by address; a different prefix counts as
   * there).
   */
  List<InterfaceAddress> missingFrom(List<HostAddress> host) {
    return addresses.stream()
        .filter(
            a ->
                host.stream()
                    .noneMatch(
                        h ->
                            h.interfaceName().equals(interfaceName)
                                && h.address().equals(a.address())))
        .toList();
  }

  /**
   * Puts missing addresses back (the data path check); false when it could not (a fault follows).
   */
  boolean putBack(List<InterfaceAddress> missing) {
    try {
      manager.add(interfaceName, missing, lease);
      return true;
    } catch (AddressInUseException e) {
      failLater(e.getMessage(), Reason.NODE_ADDRESS);
    } catch (IOException e) {
      failLater(e.getMessage(), null);
    }
    return false;
  }

  /**
   * A master's data path check: a new lease for the addresses (see {@link AddressLease}). A renewal
   * that fails is logged; the lease still runs, and the next check tries again.
   */
  void renew() {
    try {
      manager.renew(interfaceName, addresses, lease);
    } catch (IOException e) {
      LOG.warn("{}: could not renew the lease of {}: {}", name, addresses, e.getMessage());
    }
  }

  /** The engine left master: take them off (only what the agent added; see AddressManager). */
  void release() {
    try {
      manager.remove(interfaceName, addresses);
    } catch (IOException e) {
      LOG.error("{}: could not remove {}: {}", name, addresses, e.getMessage());
    }
  }

  /**
   * Serves another list (VirtualIPs joining or leaving a shared VRID): returns the previous one,
   * for the engine's {@link Action.ChangeAddresses}.
   */
  void serve(List<InterfaceAddress> next) {
    previous = addresses;
    addresses = List.copyOf(next);
  }

  /**
   * A master's list changed: add only the new ones, remove only the dropped ones; returns the
   * added.
   */
  List<InterfaceAddress> change(Action.ChangeAddresses change) {
    List<InterfaceAddress> added =
        addresses.stream().filter(a -> change.added().contains(a.address())).toList();
    List<InterfaceAddress> removed =
        previous.stream().filter(a -> change.removed().contains(a.address())).toList();
    try {
      if (!removed.isEmpty()) {
        manager.remove(interfaceName, removed);
      }
      if (!added.isEmpty()) {
        manager.add(interfaceName, added, lease);
      }
      return added;
    } catch (AddressInUseException e) {
      failLater(e.getMessage(), Reason.NODE_ADDRESS);
    } catch (IOException e) {
      LOG.error(
          "{}: could not change addresses (+{} -{}): {}", name, added, removed, e.getMessage());
      failLater(e.getMessage(), null);
    }
    return List.of();
  }

  private void failLater(String why, Reason reason) {
    pendingFault = why;
    pendingReason = reason;
  }

  /** After the engine's batch of actions: a failure of this batch becomes a fault now. */
  void raisePending() {
    if (pendingFault == null) {
      return;
    }
    String why = pendingFault;
    Reason reason = pendingReason;
    pendingFault = null;
    pendingReason = null;
    if (fault != null) {
      return;
    }
    fault = "addresses: " + why;
    faultReason = reason;
    instance.faultRaised(fault, reason);
    Duration wait = retry;
    retry =
        retry.multipliedBy(2).compareTo(RETRY_LONGEST) > 0 ? RETRY_LONGEST : retry.multipliedBy(2);
    retryTask = loop.schedule(this::retry, wait.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Clears the fault so the instance may try again, unless an address is still on the node and not
   * the agent's (then it waits again). A probe that found the address in use runs again on the next
   * claim.
   */
  private void retry() {
    try {
      if (!manager.foreign(addresses.stream().map(InterfaceAddress::address).toList()).isEmpty()) {
        retryTask = loop.schedule(this::retry, retry.toNanos(), TimeUnit.NANOSECONDS);
        return;
      }
    } catch (IOException e) {
      LOG.warn("{}: cannot list the node's addresses: {}", name, e.getMessage());
    }
    String cleared = fault;
    fault = null;
    faultReason = null;
    if (cleared != null) {
      LOG.info("{}: trying the addresses again", name);
      instance.faultCleared(cleared);
    }
  }

  void close() {
    if (retryTask != null) {
      retryTask.cancel(false);
    }
  }
}
