package dev.vrrp.agent.kubernetes;

import dev.vrrp.api.v1alpha1.NodeStatus;
import java.time.Duration;

/**
 * Where this node's {@code status.nodes[]} entries go ({@link StatusReporter} writes them to the
 * API server). Never blocks the caller.
 */
interface StatusSink extends AutoCloseable {
  /** News (a transition, a first entry, a fault), ahead of every refresh. */
  void submit(String virtualIp, NodeStatus entry);

  /** A heartbeat refresh, behind all news. */
  void refresh(String virtualIp, NodeStatus entry);

  /** Whether the VirtualIP's entry was written successfully within {@code age}. */
  boolean writtenWithin(String virtualIp, Duration age);

  /** The VirtualIP is gone: forget what is known about it. */
  void forget(String virtualIp);

  @Override
  void close();
}
