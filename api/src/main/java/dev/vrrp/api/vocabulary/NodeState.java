package dev.vrrp.api.vocabulary;

import java.util.Optional;

/**
 * What a node's agent says about one VirtualIP in its {@code status.nodes[]} entry: the VRRP state
 * of its instance (RFC 5798 6.4), or RELEASED once it gave the addresses up for good.
 */
public enum NodeState implements Word {
  INITIALIZE,
  BACKUP,
  MASTER,
  FAULT,
  RELEASED;

  /** What the operator shows for an entry whose heartbeat is stale (the entry itself stays). */
  public static final String UNKNOWN = "Unknown";

  /** States are written as their names: MASTER, BACKUP, ... */
  @Override
  public String wire() {
    return name();
  }

  public static Optional<NodeState> of(String text) {
    for (NodeState state : values()) {
      if (state.name().equals(text)) {
        return Optional.of(state);
      }
    }
    return Optional.empty();
  }

  /** MASTER or BACKUP: the node takes part in VRRP for the VirtualIP. */
  public boolean serving() {
    return this == MASTER || this == BACKUP;
  }
}
