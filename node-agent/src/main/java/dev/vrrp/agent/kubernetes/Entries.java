package dev.vrrp.agent.kubernetes;

import dev.vrrp.agent.loop.InstanceStatus;
import dev.vrrp.api.v1alpha1.NodeStatus;
import dev.vrrp.api.vocabulary.NodeState;
import dev.vrrp.api.vocabulary.Reason;
import java.time.Clock;

/** Builds this node's entries: from an instance's status, for a fault, for a release. */
final class Entries {
  static final String RELEASED_MESSAGE = "addresses released";
  static final String DRAINING_MESSAGE =
      "the node is in planned maintenance: it serves only when no other node can";

  private final String nodeName;
  private final Clock clock;

  Entries(String nodeName, Clock clock) {
    this.nodeName = nodeName;
    this.clock = clock;
  }

  /**
   * What the running instance says: its state, priorities, source address, and its faults if any.
   */
  NodeStatus of(InstanceStatus status) {
    NodeStatus entry = entry(status.state(), String.join(", ", status.faults()));
    if (!status.faults().isEmpty()) {
      entry.setReason(
          status.faultReason() != null ? status.faultReason() : Reason.CHECK_FAILED.wire());
    } else if (status.draining()) {
      entry.setReason(Reason.DRAINING.wire());
      entry.setMessage(DRAINING_MESSAGE);
    }
    entry.setPriority(status.priority());
    entry.setEffectivePriority(status.effectivePriority());
    entry.setAddress(status.source());
    entry.setLastTransitionTime(status.lastTransition().toString());
    entry.setTransitions(status.transitions());
    return entry;
  }

  /** The VirtualIP is planned here and cannot run: why, as a word and in words. */
  NodeStatus fault(Reason code, String message) {
    NodeStatus entry = entry(NodeState.FAULT.name(), message);
    entry.setReason(code == null ? null : code.wire());
    return entry;
  }

  /** This node no longer serves the VirtualIP and removed its addresses. */
  NodeStatus released() {
    return entry(NodeState.RELEASED.name(), RELEASED_MESSAGE);
  }

  private NodeStatus entry(String state, String message) {
    NodeStatus entry = new NodeStatus();
    entry.setName(nodeName);
    entry.setState(state);
    entry.setHeartbeatTime(clock.instant().toString());
    entry.setMessage(message == null || message.isEmpty() ? null : message);
    return entry;
  }
}
