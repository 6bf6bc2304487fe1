package dev.vrrp.api.vocabulary;

import java.util.Locale;

/** The CamelCase reasons of the conditions and Events (the wire form is {@link #wire()}). */
public enum Reason implements Word {
  // Ready
  MASTER_ELECTED,
  NO_MASTER,
  AWAITING_AGENTS,
  NO_HEARTBEAT,
  NO_NODES_SELECTED,
  /**
   * No agent reported and the operator knows why: it cannot apply the agents' DaemonSet (its owner
   * Deployment is gone, the apply is refused) or cannot prepare their namespace.
   */
  AGENTS_UNAVAILABLE,
  INVALID_SPEC,
  SPLIT_BRAIN,
  // Degraded
  ALL_NODES_HEALTHY,
  NODES_UNHEALTHY,
  NOT_INSTALLED,
  // SplitBrain
  MULTIPLE_MASTERS,
  SINGLE_MASTER,
  // Conflict
  NO_CONFLICT,
  ADDRESS_CONFLICT,
  VRID_CONFLICT,
  VRID_EXHAUSTED,
  VRID_SHARED,
  /** An address is a node's own (a Node's InternalIP or ExternalIP). */
  NODE_ADDRESS,
  /**
   * Another host on the segment answers for an address before any node of the VirtualIP held it.
   */
  ADDRESS_IN_USE,
  // a node's FAULT entry (status.nodes[].reason)
  /** The node has no route to the address, and the VirtualIP names no interface. */
  NO_ROUTE,
  /**
   * The Secret of passwordSecretRef is missing, forbidden to the agent, or holds no usable
   * password.
   */
  SECRET_UNUSABLE,
  /** VirtualIPs sharing a VRID differ in settings other than their addresses. */
  SHARED_SETTINGS_DIFFER,
  /**
   * The instance could not start or change (the node cannot run VRRP, an interface is missing,
   * ...).
   */
  CANNOT_RUN,
  /** A health check failed (a check without weight). */
  CHECK_FAILED,
  /** The instance's interface cannot carry traffic (down, no carrier, gone). */
  LINK_DOWN,
  /** An error inside the agent. */
  INTERNAL_ERROR,
  /**
   * A BACKUP entry: the node is in planned maintenance (cordoned, or tainted vrrp.dev/drain) and
   * serves only when no other node can.
   */
  DRAINING,
  // Events only
  MASTER_CHANGED,
  MASTER_LOST,
  ADDRESSES_RELEASED,
  RELEASE_TIMED_OUT,
  // a LoadBalancer Service's Events
  /** The Service got its addresses (a VirtualIP each). */
  ADDRESS_ASSIGNED,
  /** The Service waits for an address: the reason says why (exhausted, not in a pool, ...). */
  ADDRESS_PENDING,
  /** A vrrp.dev/ annotation of the Service is unusable; nothing changes until it is fixed. */
  INVALID_ANNOTATION,
  /**
   * An externalTrafficPolicy Local Service has no ready endpoint on any node: no node holds its
   * addresses, which stay assigned.
   */
  NO_READY_ENDPOINTS,
  /**
   * A write for the Service (its VirtualIP, its status) failed; the message has the API server's
   * answer, and the operator retries with back-off.
   */
  LOAD_BALANCER_FAILED,
  // a VirtualIPPool's conditions (Ready False also says InvalidSpec or AddressConflict)
  /** The pool hands addresses out. */
  POOL_USABLE,
  /** Exhausted: every address of the pool is held. */
  POOL_EXHAUSTED,
  /** Exhausted False: the pool has addresses left. */
  ADDRESSES_AVAILABLE;

  private final String wire = camelCase(name());

  @Override
  public String wire() {
    return wire;
  }

  @Override
  public String toString() {
    return wire;
  }

  private static String camelCase(String constant) {
    StringBuilder out = new StringBuilder();
    for (String word : constant.split("_")) {
      out.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return out.toString();
  }
}
