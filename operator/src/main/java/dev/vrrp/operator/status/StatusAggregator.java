package dev.vrrp.operator.status;

import dev.vrrp.api.Problems;
import dev.vrrp.api.text.Durations;
import dev.vrrp.api.v1alpha1.NodeStatus;
import dev.vrrp.api.v1alpha1.SpecRules;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPSpec;
import dev.vrrp.api.vocabulary.ConditionStatus;
import dev.vrrp.api.vocabulary.ConditionType;
import dev.vrrp.api.vocabulary.EventType;
import dev.vrrp.api.vocabulary.NodeState;
import dev.vrrp.api.vocabulary.Reason;
import dev.vrrp.operator.meta.Timestamps;
import dev.vrrp.operator.plan.VipPlan;
import dev.vrrp.operator.status.OperatorStatus.StatusCondition;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Folds the agents' {@code status.nodes} entries and the operator's plan into the summary the
 * operator owns: {@code master}, {@code ready}, the conditions Ready / Degraded / SplitBrain /
 * Conflict, {@code transitions} and {@code lastFailoverTime}, plus the Events to emit. Pure: time
 * is an argument, the previous summary is an argument.
 *
 * <ul>
 *   <li>An entry is <em>fresh</em> while its {@code heartbeatTime} is within the heartbeat window
 *       (default 30 s, three agent heartbeats). A stale entry is reported as Unknown in the
 *       Degraded message and counts for nothing; the entry itself is the agent's and is left as it
 *       is.
 *   <li>{@code master} is the one node whose fresh entry says MASTER; none when zero or two or more
 *       do (the latter is SplitBrain, never hidden). A MASTER entry a newer takeover supersedes (a
 *       dead master's) or a racing takeover that is yielding does not count ({@link #superseded}).
 *   <li>{@code ready} is healthy/selected, healthy = a fresh MASTER or BACKUP entry.
 *   <li>A condition's {@code lastTransitionTime} moves only when its status changes; reason,
 *       message and observedGeneration follow the current state.
 *   <li>{@code transitions} counts each time a node becomes master (from no master or from another
 *       node); {@code lastFailoverTime} is when that last happened.
 * </ul>
 */
public final class StatusAggregator {
  private static final ConditionStatus TRUE = ConditionStatus.TRUE;
  private static final ConditionStatus FALSE = ConditionStatus.FALSE;
  private static final ConditionStatus UNKNOWN = ConditionStatus.UNKNOWN;

  private final Duration heartbeatWindow;
  private final Supplier<Optional<String>> agentsProblem;

  /**
   * @param agentsProblem why the agents cannot run, when the operator knows (see {@link
   *     dev.vrrp.operator.agents.AgentDaemonSetKeeper#problem()}): the Ready reason while no agent
   *     has reported
   */
  public StatusAggregator(Duration heartbeatWindow, Supplier<Optional<String>> agentsProblem) {
    this.heartbeatWindow = heartbeatWindow;
    this.agentsProblem = agentsProblem;
  }

  /** An Event to record. */
  public record Notice(EventType type, Reason reason, String message) {}

  /**
   * The new summary, the Events, and when to look again (a fresh entry turns stale then), or null
   * when nothing will go stale.
   */
  public record Result(
      OperatorStatus status, List<Notice> notices, Duration recheckIn, Duration holdFor) {
    Result(OperatorStatus status, List<Notice> notices, Duration recheckIn) {
      this(status, notices, recheckIn, null);
    }
  }

  /**
   * How long a master that yielded (its fresh entry says BACKUP, its transition is this recent) is
   * taken for a handover in progress rather than a lost master: a node preempts by advertising
   * first, so the new master's entry is on its way, and the API server may show the yielding node's
   * entry before it. During this time nothing is written (one write, "MasterChanged", instead of
   * two and a false MasterLost); after it, a master still missing is a loss.
   */
  static final Duration HANDOVER_GRACE = Duration.ofSeconds(3);

  public Result aggregate(VirtualIP vip, VipPlan plan, OperatorStatus previous, Instant now) {
    previous = previous == null ? OperatorStatus.EMPTY : previous;
    Long generation = vip.getMetadata().getGeneration();
    List<NodeStatus> entries =
        vip.getStatus() == null || vip.getStatus().getNodes() == null
            ? List.of()
            : vip.getStatus().getNodes();
    Map<String, NodeStatus> byNode = new TreeMap<>();
    for (NodeStatus e : entries) {
      if (e.getName() != null) {
        byNode.put(e.getName(), e);
      }
    }

    List<NodeStatus> freshMasters =
        byNode.values().stream()
            .filter(e -> NodeState.MASTER.is(e.getState()) && fresh(e, now))
            .toList();
    Duration interval = advertisementInterval(vip);
    Map<String, String> superseded = superseded(freshMasters, interval);
    Set<String> yielding = yielding(freshMasters, interval);
    List<String> masters =
        freshMasters.stream()
            .map(NodeStatus::getName)
            .filter(n -> !superseded.containsKey(n) && !yielding.contains(n))
            .sorted()
            .toList();
    String master = masters.size() == 1 ? masters.get(0) : null;
    boolean splitBrain = masters.size() > 1;
    Duration handover = handoverLeft(previous.master(), master, splitBrain, byNode, now);
    if (handover != null) {
      return new Result(previous, List.of(), handover, handover);
    }

    List<String> selected = plan.selectedNodes().stream().sorted().toList();
    List<String> unhealthy = new ArrayList<>();
    int healthy = 0;
    boolean anyFresh = false;
    for (String node : selected) {
      NodeStatus e = byNode.get(node);
      if (e == null) {
        unhealthy.add(node + ": no report yet");
      } else if (!fresh(e, now)) {
        unhealthy.add(node + ": " + NodeState.UNKNOWN + " (" + staleness(e) + ")");
      } else if (superseded.containsKey(node)) {
        anyFresh = true;
        unhealthy.add(node + ": " + superseded.get(node));
      } else {
        anyFresh = true;
        if (yielding.contains(node)
            || NodeState.of(e.getState()).map(NodeState::serving).orElse(false)) {
          healthy++;
        } else {
          unhealthy.add(
              node
                  + ": "
                  + e.getState()
                  + (e.getMessage() == null || e.getMessage().isBlank()
                      ? ""
                      : " (" + e.getMessage() + ")"));
        }
      }
    }
    String ready = healthy + "/" + selected.size();
    // a node found another host answering for an address before its first claim: nobody takes it
    List<String> inUse = new ArrayList<>();
    for (String node : selected) {
      NodeStatus e = byNode.get(node);
      if (e != null && fresh(e, now) && Reason.ADDRESS_IN_USE.is(e.getReason())) {
        inUse.add(node + ": " + e.getMessage());
      }
    }
    String addresses = vip.getSpec() == null ? "" : String.join(", ", vip.getSpec().getAddresses());

    List<StatusCondition> conditions = new ArrayList<>();
    Map<String, StatusCondition> before =
        previous.conditions().stream()
            .collect(Collectors.toMap(StatusCondition::type, c -> c, (a, b) -> a));
    String vridText =
        plan.virtualRouterId() == null ? "" : " (VRID " + plan.virtualRouterId() + ")";

    // Ready
    Verdict readyCond;
    if (plan.invalid() != null) {
      readyCond = new Verdict(FALSE, Reason.INVALID_SPEC, plan.invalid());
    } else if (plan.conflict() != null) {
      readyCond =
          new Verdict(
              FALSE, plan.conflict().reason(), "not installed: " + plan.conflict().message());
    } else if (selected.isEmpty()) {
      readyCond = new Verdict(FALSE, Reason.NO_NODES_SELECTED, noNodeSelected(vip, addresses));
    } else if (splitBrain) {
      readyCond =
          new Verdict(
              FALSE,
              Reason.SPLIT_BRAIN,
              "nodes " + String.join(", ", masters) + " all report MASTER" + vridText);
    } else if (master != null) {
      readyCond =
          new Verdict(TRUE, Reason.MASTER_ELECTED, master + " holds " + addresses + vridText);
    } else if (!anyFresh) {
      boolean noEntries = selected.stream().noneMatch(byNode::containsKey);
      Optional<String> agentsDown = noEntries ? agentsProblem.get() : Optional.empty();
      readyCond =
          agentsDown.isPresent()
              ? new Verdict(FALSE, Reason.AGENTS_UNAVAILABLE, agentsDown.get())
              : noEntries
                  ? new Verdict(
                      UNKNOWN,
                      Reason.AWAITING_AGENTS,
                      "waiting for the agents on " + String.join(", ", selected) + " to report")
                  : new Verdict(
                      UNKNOWN,
                      Reason.NO_HEARTBEAT,
                      "no agent has reported within " + seconds(heartbeatWindow));
    } else if (!inUse.isEmpty()) {
      readyCond =
          new Verdict(
              FALSE,
              Reason.ADDRESS_IN_USE,
              "not taken: another host uses it: " + String.join("; ", inUse));
    } else {
      readyCond =
          new Verdict(
              FALSE,
              Reason.NO_MASTER,
              "no node reports MASTER: " + describe(selected, byNode, now));
    }
    conditions.add(condition(ConditionType.READY, readyCond, generation, before, now));

    // Degraded
    Verdict degraded;
    if (!plan.installed()) {
      degraded = new Verdict(UNKNOWN, Reason.NOT_INSTALLED, "not installed on any node");
    } else if (unhealthy.isEmpty()) {
      degraded =
          new Verdict(
              FALSE,
              Reason.ALL_NODES_HEALTHY,
              "all " + selected.size() + " selected nodes are " + "MASTER or BACKUP");
    } else {
      degraded =
          new Verdict(
              TRUE,
              Reason.NODES_UNHEALTHY,
              ready + " nodes healthy; " + String.join("; ", unhealthy));
    }
    conditions.add(condition(ConditionType.DEGRADED, degraded, generation, before, now));

    // SplitBrain
    Verdict split =
        splitBrain
            ? new Verdict(
                TRUE,
                Reason.MULTIPLE_MASTERS,
                "nodes "
                    + String.join(", ", masters)
                    + " all report MASTER"
                    + vridText
                    + "; check that they see each other's advertisements (same segment, VRID, "
                    + "authentication, multicast or unicast peers)")
            : new Verdict(
                FALSE,
                master != null ? Reason.SINGLE_MASTER : Reason.NO_MASTER,
                master != null ? "only " + master + " reports MASTER" : "no node reports MASTER");
    conditions.add(condition(ConditionType.SPLIT_BRAIN, split, generation, before, now));

    // Conflict
    Verdict conflict;
    if (plan.invalid() != null) {
      conflict = new Verdict(UNKNOWN, Reason.INVALID_SPEC, "not checked: the spec is invalid");
    } else if (plan.conflict() != null) {
      conflict = new Verdict(TRUE, plan.conflict().reason(), plan.conflict().message());
    } else if (!inUse.isEmpty()) {
      conflict =
          new Verdict(
              TRUE,
              Reason.ADDRESS_IN_USE,
              String.join("; ", inUse)
                  + "; remove the address from that host or choose a free one");
    } else if (plan.sharedWith() != null) {
      conflict =
          new Verdict(
              FALSE,
              Reason.VRID_SHARED,
              "all VRIDs of these nodes are in use: shares VRID "
                  + plan.virtualRouterId()
                  + " and its priorities with VirtualIP "
                  + plan.sharedWith()
                  + " (same nodes and VRRP settings); they fail over together");
    } else {
      conflict =
          new Verdict(
              FALSE,
              Reason.NO_CONFLICT,
              plan.virtualRouterId() == null
                  ? "addresses are unique; a VRID is allocated once a node is selected"
                  : "addresses and VRID "
                      + plan.virtualRouterId()
                      + " are unique among VirtualIPs sharing its nodes");
    }
    conditions.add(condition(ConditionType.CONFLICT, conflict, generation, before, now));

    // Transitions and Events
    List<Notice> notices = new ArrayList<>();
    long transitions = previous.transitions() == null ? 0 : previous.transitions();
    String lastFailover = previous.lastFailoverTime();
    if (!Objects.equals(master, previous.master())) {
      if (master != null) {
        transitions++;
        lastFailover = timestamp(now);
        notices.add(
            previous.master() == null
                ? new Notice(
                    EventType.NORMAL,
                    Reason.MASTER_ELECTED,
                    master
                        + " is master of "
                        + addresses
                        + vridText
                        + (previous.isTrue(ConditionType.SPLIT_BRAIN)
                            ? "; the split brain is over"
                            : ""))
                : new Notice(
                    EventType.NORMAL,
                    Reason.MASTER_CHANGED,
                    master
                        + " is master of "
                        + addresses
                        + vridText
                        + ", was "
                        + previous.master()));
      } else if (!splitBrain) {
        notices.add(
            new Notice(
                EventType.WARNING,
                Reason.MASTER_LOST,
                previous.master()
                    + " no longer reports MASTER and no "
                    + "other node does: "
                    + describe(selected, byNode, now)));
      }
    }
    if (splitBrain && !previous.isTrue(ConditionType.SPLIT_BRAIN)) {
      notices.add(new Notice(EventType.WARNING, Reason.SPLIT_BRAIN, split.message()));
    }
    if (ConditionStatus.TRUE.equals(conflict.status())
        && !previous.isTrue(ConditionType.CONFLICT)) {
      notices.add(new Notice(EventType.WARNING, conflict.reason(), conflict.message()));
    }

    OperatorStatus status =
        new OperatorStatus(
            master,
            plan.installed() ? plan.virtualRouterId() : null,
            plan.installed() ? plan.priorities() : List.of(),
            ready,
            conditions,
            generation,
            transitions,
            lastFailover);
    return new Result(status, notices, recheckIn(byNode.values(), now));
  }

  /**
   * Time left of a handover in progress (see {@link #HANDOVER_GRACE}), or null when there is none.
   */
  private Duration handoverLeft(
      String before,
      String master,
      boolean splitBrain,
      Map<String, NodeStatus> byNode,
      Instant now) {
    if (before == null || master != null || splitBrain) {
      return null;
    }
    NodeStatus yielded = byNode.get(before);
    if (yielded == null || !NodeState.BACKUP.is(yielded.getState()) || !fresh(yielded, now)) {
      return null;
    }
    Optional<Instant> since = Timestamps.parse(yielded.getLastTransitionTime());
    if (since.isEmpty()) {
      return null;
    }
    Duration left = Duration.between(now, since.get().plus(HANDOVER_GRACE));
    return left.isNegative() || left.isZero() ? null : left;
  }

  /**
   * MASTER entries that do not name the holder although fresh. Returns node to explanation.
   *
   * <ul>
   *   <li>An entry another node's newer takeover supersedes: not refreshed since another node
   *       became MASTER ({@code heartbeatTime} before that node's {@code lastTransitionTime}). That
   *       is a master that died or lost its link; its entry stays fresh for up to the heartbeat
   *       window, and calling that SplitBrain would be a false alarm. A real split brain keeps both
   *       agents heartbeating, so both entries are refreshed after both takeovers within one
   *       heartbeat and are reported.
   *   <li>Except a racing takeover: a lower-priority node that became MASTER less than three
   *       advertisement intervals after a higher one cannot have timed out on it
   *       (Master_Down_Interval is longer); both timed out on the master before them, and the lower
   *       one yields on the higher one's first advertisement it hears, within an interval. Until it
   *       refreshes its entry as MASTER, it is the one that does not hold the address (its BACKUP
   *       is on its way): {@link #yielding}.
   * </ul>
   */
  static Map<String, String> superseded(List<NodeStatus> freshMasters, Duration interval) {
    Map<String, String> result = new TreeMap<>();
    for (NodeStatus old : freshMasters) {
      Optional<Instant> beat = heartbeat(old);
      if (beat.isEmpty()) {
        continue;
      }
      for (NodeStatus other : freshMasters) {
        if (other == old) {
          continue;
        }
        Optional<Instant> takeover = Timestamps.parse(other.getLastTransitionTime());
        if (takeover.isEmpty() || !beat.get().isBefore(takeover.get())) {
          continue;
        }
        if (!racing(old, other, interval)) {
          result.putIfAbsent(
              old.getName(),
              "MASTER superseded by "
                  + other.getName()
                  + " at "
                  + timestamp(takeover.get())
                  + ", no report since "
                  + timestamp(beat.get()));
        }
      }
    }
    return result;
  }

  /**
   * The racing takeovers of {@link #superseded}: MASTER entries of nodes that serve but yield to a
   * higher-priority master that took over just before them.
   */
  static Set<String> yielding(List<NodeStatus> freshMasters, Duration interval) {
    Set<String> result = new TreeSet<>();
    for (NodeStatus earlier : freshMasters) {
      Optional<Instant> beat = heartbeat(earlier);
      for (NodeStatus later : freshMasters) {
        Optional<Instant> takeover = Timestamps.parse(later.getLastTransitionTime());
        if (later != earlier
            && beat.isPresent()
            && takeover.isPresent()
            && beat.get().isBefore(takeover.get())
            && racing(earlier, later, interval)) {
          result.add(later.getName());
        }
      }
    }
    return result;
  }

  /** Whether {@code later} took over in a race with {@code earlier} and loses it. */
  private static boolean racing(NodeStatus earlier, NodeStatus later, Duration interval) {
    Optional<Instant> first = Timestamps.parse(earlier.getLastTransitionTime());
    Optional<Instant> second = Timestamps.parse(later.getLastTransitionTime());
    Optional<Instant> refreshed = heartbeat(later);
    Integer high = priority(earlier);
    Integer low = priority(later);
    if (first.isEmpty() || second.isEmpty() || refreshed.isEmpty() || high == null || low == null) {
      return false;
    }
    return low < high
        && second.get().isBefore(first.get().plus(interval.multipliedBy(3)))
        && refreshed.get().isBefore(second.get().plus(interval).plus(RACE_REPORT_MARGIN));
  }

  /** Time for a racing master's own entry to be built after its takeover. */
  static final Duration RACE_REPORT_MARGIN = Duration.ofSeconds(1);

  private static Integer priority(NodeStatus entry) {
    return entry.getEffectivePriority() != null
        ? entry.getEffectivePriority()
        : entry.getPriority();
  }

  /** The spec's interval as SpecRules reads it; the default for a spec it refuses (no plan). */
  private static Duration advertisementInterval(VirtualIP vip) {
    VirtualIPSpec spec = vip.getSpec();
    Duration interval = null;
    if (spec != null) {
      Problems ignored = new Problems();
      int version = SpecRules.version(ignored, "spec.version", spec.getVersion());
      interval =
          SpecRules.interval(
              ignored, "spec.advertisementInterval", version, spec.getAdvertisementInterval());
    }
    return interval != null ? interval : Durations.parse(VirtualIPSpec.DEFAULT_INTERVAL);
  }

  /**
   * Each node's state as the summary counts it: its entry's state while the heartbeat is fresh,
   * {@value NodeState#UNKNOWN} after.
   */
  public Map<String, String> shownStates(VirtualIP vip, Instant now) {
    Map<String, String> states = new TreeMap<>();
    if (vip.getStatus() == null || vip.getStatus().getNodes() == null) {
      return states;
    }
    for (NodeStatus e : vip.getStatus().getNodes()) {
      if (e.getName() != null && e.getState() != null) {
        states.put(e.getName(), fresh(e, now) ? e.getState() : NodeState.UNKNOWN);
      }
    }
    return states;
  }

  /** True while the entry's heartbeat is within the window. */
  public boolean fresh(NodeStatus entry, Instant now) {
    return heartbeat(entry).map(t -> !t.plus(heartbeatWindow).isBefore(now)).orElse(false);
  }

  /** Empty when the entry has no heartbeat time that parses: then it is never fresh. */
  static Optional<Instant> heartbeat(NodeStatus entry) {
    return Timestamps.parse(entry.getHeartbeatTime());
  }

  private Duration recheckIn(Iterable<NodeStatus> entries, Instant now) {
    Duration soonest = null;
    for (NodeStatus e : entries) {
      Optional<Instant> beat = heartbeat(e);
      if (beat.isPresent() && fresh(e, now)) {
        Duration until = Duration.between(now, beat.get().plus(heartbeatWindow)).plusMillis(500);
        if (soonest == null || until.compareTo(soonest) < 0) {
          soonest = until;
        }
      }
    }
    return soonest;
  }

  private String staleness(NodeStatus e) {
    return heartbeat(e)
        .map(t -> "last heartbeat " + timestamp(t) + ", older than " + seconds(heartbeatWindow))
        .orElse("no heartbeat time");
  }

  private String describe(List<String> selected, Map<String, NodeStatus> byNode, Instant now) {
    return selected.stream()
        .map(
            node -> {
              NodeStatus e = byNode.get(node);
              if (e == null) {
                return node + " no report";
              }
              return node + " " + (fresh(e, now) ? e.getState() : NodeState.UNKNOWN);
            })
        .collect(Collectors.joining(", "));
  }

  private static String noNodeSelected(VirtualIP vip, String addresses) {
    List<String> names = vip.getSpec() == null ? null : vip.getSpec().getNodeNames();
    if (names != null && names.isEmpty()) {
      return "spec.nodeNames is empty: no node may hold " + addresses;
    }
    return "no node matches spec.nodeSelector "
        + nodeSelector(vip)
        + (names == null ? "" : ", is in spec.nodeNames " + names)
        + " and tolerates its taints";
  }

  private static String nodeSelector(VirtualIP vip) {
    Map<String, String> selector =
        vip.getSpec() == null ? Map.of() : vip.getSpec().getNodeSelector();
    return selector == null || selector.isEmpty() ? "{}" : new TreeMap<>(selector).toString();
  }

  /** A condition's status, reason and message before it gets its times. */
  private record Verdict(ConditionStatus status, Reason reason, String message) {}

  private static StatusCondition condition(
      ConditionType type,
      Verdict value,
      Long generation,
      Map<String, StatusCondition> before,
      Instant now) {
    StatusCondition old = before.get(type.wire());
    String since =
        old != null && value.status().is(old.status()) && old.lastTransitionTime() != null
            ? old.lastTransitionTime()
            : timestamp(now);
    return new StatusCondition(
        type.wire(),
        value.status().wire(),
        value.reason().wire(),
        value.message(),
        generation,
        since);
  }

  static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String seconds(Duration d) {
    return Math.max(0, d.toSeconds()) + "s";
  }
}
