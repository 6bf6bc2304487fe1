package dev.vrrp.agent.faults;

/**
 * One frame seen on the bridge that says something about who holds the VIP.
 *
 * @param nanos capture time, epoch nanoseconds (the same clock as {@link System#currentTimeMillis})
 * @param node the node whose MAC sent it ("?" for a MAC no node has)
 * @param priority the advertised priority (adverts only)
 */
record Observation(long nanos, Kind kind, String node, int priority) {
  enum Kind {
    /** A VRRP advertisement of the suite's VRID. */
    ADVERT,
    /** An ARP reply or gratuitous ARP naming the VIP as the sender's address. */
    ARP_CLAIM,
    /** An ICMP echo reply from the VIP to the client. */
    ECHO_REPLY
  }

  static Observation advert(long nanos, String node, int priority) {
    return new Observation(nanos, Kind.ADVERT, node, priority);
  }

  static Observation arp(long nanos, String node) {
    return new Observation(nanos, Kind.ARP_CLAIM, node, 0);
  }

  static Observation reply(long nanos, String node) {
    return new Observation(nanos, Kind.ECHO_REPLY, node, 0);
  }
}
