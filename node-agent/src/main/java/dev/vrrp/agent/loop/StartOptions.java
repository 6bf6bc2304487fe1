package dev.vrrp.agent.loop;

/**
 * How an instance starts.
 *
 * @param claim the controller chose this node as master and knows of no master: a shorter first
 *     wait ({@link dev.vrrp.engine.Event.Startup#claim})
 * @param probe when the first claim asks the segment whether another host uses the addresses
 *     ({@link dev.vrrp.agent.net.AddressProbe})
 */
public record StartOptions(boolean claim, Probe probe) {
  /** When to probe before a claim. */
  public enum Probe {
    /** A node of the VirtualIP held the addresses: a takeover needs no probe. */
    NEVER,
    /**
     * No node held them yet (Kubernetes knows): probe before every claim until one succeeds here or
     * the controller says another node holds them ({@link Instances#held}).
     */
    UNTIL_HELD,
    /**
     * The standalone agent knows nothing of the other nodes: probe before the first claim, unless
     * it heard a peer advertise first (then, in all likelihood, a peer held them).
     */
    UNLESS_A_PEER_ADVERTISED
  }

  public static final StartOptions STANDALONE =
      new StartOptions(false, Probe.UNLESS_A_PEER_ADVERTISED);
}
