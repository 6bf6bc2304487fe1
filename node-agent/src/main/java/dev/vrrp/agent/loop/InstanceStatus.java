package dev.vrrp.agent.loop;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One instance as /state reports it; a snapshot, safe to hand to other threads.
 *
 * @param faultReason the CamelCase reason of an address fault (AddressInUse, NodeAddress), or null
 * @param claiming it became master and asks the segment before it takes the addresses: it does not
 *     hold them yet, and no entry says MASTER for it until it does
 * @param draining the node is in planned maintenance: the instance runs at the lowest priority
 */
public record InstanceStatus(
    String name,
    String interfaceName,
    int virtualRouterId,
    int version,
    String state,
    int priority,
    int effectivePriority,
    String master,
    String source,
    long transitions,
    Instant lastTransition,
    List<String> addresses,
    List<String> faults,
    String faultReason,
    boolean claiming,
    boolean draining,
    Map<String, Object> checks,
    Map<String, Long> counters) {}
