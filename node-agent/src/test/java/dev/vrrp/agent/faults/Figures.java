package dev.vrrp.agent.faults;

import java.util.List;

/**
 * What the wire showed in one window of time (one induced event and its recovery).
 *
 * @param clientGapMs the longest time without an echo reply to the client
 * @param dualMasterMs the time two nodes were master at once: both advertising, or one still
 *     advertising after a node that beats it had advertised (see {@link Timeline})
 * @param noMasterMs the longest time between two advertisements with priority above 0, from any
 *     node
 * @param dualAnswerMs the time two nodes' replies to the client's pings interleaved
 * @param strayArpFrom the sender of each ARP claim for the VIP from a node that was not master at
 *     the time
 * @param masters the nodes that advertised as master, in the order they started
 */
record Figures(
    double clientGapMs,
    double dualMasterMs,
    double noMasterMs,
    double dualAnswerMs,
    List<String> strayArpFrom,
    List<String> masters) {
  /** How many ARP claims came from a node that was not master at the time. */
  int strayArp() {
    return strayArpFrom.size();
  }
}
