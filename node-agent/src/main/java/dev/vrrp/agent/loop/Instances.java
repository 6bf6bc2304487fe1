package dev.vrrp.agent.loop;

import dev.vrrp.agent.config.InstanceSettings;
import dev.vrrp.api.text.VirtualAddress;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The VRRP instances of this node, as the Kubernetes mode drives them (one per VirtualIP or shared
 * VRID). {@link NodeAgent} is the real one; tests of the glue use their own.
 */
public interface Instances {
  /** Starts an instance. */
  void add(InstanceSettings settings, StartOptions options) throws IOException;

  /**
   * Stops one instance gracefully (a master resigns with priority 0); nothing when it does not run.
   */
  void remove(String name) throws IOException;

  /** A new advertisement interval, live: no failover. */
  void changeInterval(String name, Duration interval) throws IOException;

  /**
   * Another address list, live: a master adds and announces only the new addresses. VRRPv3 only
   * ({@link dev.vrrp.engine.InstanceConfig#changesAddressesLive}); a v2 instance is restarted.
   */
  void changeAddresses(String name, List<VirtualAddress> next) throws IOException;

  /**
   * Another base priority, live: the effective priority follows (health weights kept). Not to or
   * from 255 ({@link dev.vrrp.engine.InstanceConfig#changesPriorityLive}): that is a restart.
   */
  void changePriority(String name, int priority) throws IOException;

  /**
   * The node went into planned maintenance or came out of it: every instance, and every one started
   * later, runs at the lowest priority while draining, and a master hands over with priority 0.
   */
  void drain(boolean draining) throws IOException;

  /** A node of the instance's VirtualIPs holds the addresses now: no probe before a takeover. */
  void held(String name);

  /**
   * Removes the agent's own (marked) addresses that no running instance has: what a crashed
   * predecessor left of VirtualIPs that are gone or moved. Addresses without the mark stay.
   */
  void releaseLeftovers() throws IOException;

  /** One instance's status, or null when it does not run. */
  InstanceStatus status(String name);

  /** Called after every state change of any instance. */
  void onTransition(Consumer<InstanceStatus> listener);
}
