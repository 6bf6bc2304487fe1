package dev.vrrp.agent.loop;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One instance as /state reports it; a snapshot, safe to hand to other threads. */
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
    Map<String, Object> checks,
    Map<String, Long> counters) {}
