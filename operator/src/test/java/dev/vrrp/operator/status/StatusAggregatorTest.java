package dev.vrrp.operator.status;

import static dev.vrrp.operator.Vips.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.v1alpha1.NodeStatus;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.vocabulary.ConditionType;
import dev.vrrp.api.vocabulary.Reason;
import dev.vrrp.operator.Vips;
import dev.vrrp.operator.plan.Conflict;
import dev.vrrp.operator.plan.VipPlan;
import dev.vrrp.operator.status.OperatorStatus.StatusCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {
  private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
  private static final VipPlan PLAN =
      new VipPlan(
          Set.of("a", "b", "c"),
          7,
          List.of(
              new VipPlan.Ranked("a", 250),
              new VipPlan.Ranked("b", 200),
              new VipPlan.Ranked("c", 150)),
          null,
          null);
  private Optional<String> agentsProblem = Optional.empty();
  private final StatusAggregator aggregator =
      new StatusAggregator(Duration.ofSeconds(30), () -> agentsProblem);

  private static Vips base() {
    return vip("web").addresses("192.0.2.10/24").generation(3);
  }

  private static StatusCondition condition(OperatorStatus status, String type) {
    ConditionType typed =
        Arrays.stream(ConditionType.values()).filter(t -> t.is(type)).findFirst().orElseThrow();
    return status.condition(typed).orElseThrow();
  }

  @Test
  void oneFreshMasterIsReadyAndElected() {
    VirtualIP v =
        base()
            .entry("a", "MASTER", NOW.minusSeconds(2))
            .entry("b", "BACKUP", NOW.minusSeconds(3))
            .entry("c", "BACKUP", NOW.minusSeconds(1))
            .build();
    var result = aggregator.aggregate(v, PLAN, OperatorStatus.EMPTY, NOW);
    OperatorStatus s = result.status();
    assertThat(s.master()).isEqualTo("a");
    assertThat(s.ready()).isEqualTo("3/3");
    assertThat(s.virtualRouterId()).isEqualTo(7);
    assertThat(s.priorities()).isEqualTo(PLAN.priorities());
    assertThat(s.observedGeneration()).isEqualTo(3L);
    assertThat(condition(s, "Ready"))
        .satisfies(
            c -> {
              assertThat(c.status()).isEqualTo("True");
              assertThat(c.reason()).isEqualTo("MasterElected");
              assertThat(c.message()).contains("a holds 192.0.2.10/24", "VRID 7");
              assertThat(c.observedGeneration()).isEqualTo(3L);
              assertThat(c.lastTransitionTime()).isEqualTo("2025-01-01T12:00:00Z");
            });
    assertThat(condition(s, "Degraded").status()).isEqualTo("False");
    assertThat(condition(s, "SplitBrain").status()).isEqualTo("False");
    assertThat(condition(s, "Conflict").status()).isEqualTo("False");
    assertThat(s.transitions()).isEqualTo(1L);
    assertThat(s.lastFailoverTime()).isEqualTo("2025-01-01T12:00:00Z");
    assertThat(result.notices())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.type().wire()).isEqualTo("Normal");
              assertThat(n.reason().wire()).isEqualTo("MasterElected");
            });
  }

  @Test
  void twoMastersAreSplitBrainWithAWarningAndNoMaster() {
    VirtualIP v =
        base()
            .entry("a", "MASTER", NOW)
            .entry("b", "MASTER", NOW)
            .entry("c", "BACKUP", NOW)
            .build();
    OperatorStatus before =
        new OperatorStatus("a", 7, PLAN.priorities(), "3/3", List.of(), 3L, 1L, null);
    var result = aggregator.aggregate(v, PLAN, before, NOW);
    OperatorStatus s = result.status();
    assertThat(s.master()).isNull();
    assertThat(condition(s, "SplitBrain"))
        .satisfies(
            c -> {
              assertThat(c.status()).isEqualTo("True");
              assertThat(c.reason()).isEqualTo("MultipleMasters");
              assertThat(c.message()).contains("a, b");
            });
    assertThat(condition(s, "Ready").status()).isEqualTo("False");
    assertThat(condition(s, "Ready").reason()).isEqualTo("SplitBrain");
    assertThat(result.notices()).extracting(n -> n.reason().wire()).containsExactly("SplitBrain");
    assertThat(result.notices().get(0).type().wire()).isEqualTo("Warning");
    assertThat(s.transitions()).isEqualTo(1L);

    // still split: no second Event
    var again = aggregator.aggregate(v, PLAN, s, NOW.plusSeconds(5));
    assertThat(again.notices()).isEmpty();
    assertThat(again.status()).isEqualTo(s);
  }

  @Test
  void aStaleEntryIsUnknownDegradedAndCannotBeMaster() {
    VirtualIP v =
        base()
            .entry("a", "MASTER", NOW.minusSeconds(31))
            .entry("b", "BACKUP", NOW.minusSeconds(5))
            .entry("c", "FAULT", NOW, "link eth0 down")
            .build();
    OperatorStatus s = aggregator.aggregate(v, PLAN, OperatorStatus.EMPTY, NOW).status();
    assertThat(s.master()).isNull();
    assertThat(s.ready()).isEqualTo("1/3");
    assertThat(condition(s, "Degraded"))
        .satisfies(
            c -> {
              assertThat(c.status()).isEqualTo("True");
              assertThat(c.reason()).isEqualTo("NodesUnhealthy");
              assertThat(c.message())
                  .contains(
                      "a: Unknown (last heartbeat 2025-01-01T11:59:29Z, older than 30s)",
                      "c: FAULT (link eth0 down)");
            });
    assertThat(condition(s, "Ready").reason()).isEqualTo("NoMaster");
    // the agents' entries are theirs: untouched
    assertThat(v.getStatus().getNodes())
        .extracting(e -> e.getState())
        .containsExactly("MASTER", "BACKUP", "FAULT");
  }

  @Test
  void aMissingReportIsDegradedAndNoReportsAtAllIsUnknown() {
    OperatorStatus none =
        aggregator.aggregate(base().build(), PLAN, OperatorStatus.EMPTY, NOW).status();
    assertThat(condition(none, "Ready").status()).isEqualTo("Unknown");
    assertThat(condition(none, "Ready").reason()).isEqualTo("AwaitingAgents");
    assertThat(condition(none, "Degraded").message()).contains("a: no report yet");
    assertThat(none.ready()).isEqualTo("0/3");

    VirtualIP silent = base().entry("a", "BACKUP", NOW.minusSeconds(90)).build();
    assertThat(
            condition(
                    aggregator.aggregate(silent, PLAN, OperatorStatus.EMPTY, NOW).status(), "Ready")
                .reason())
        .isEqualTo("NoHeartbeat");
  }

  @Test
  void agentsTheOperatorCannotStartAreTheReadyReasonUntilOneReports() {
    agentsProblem = Optional.of("the operator's Deployment vrrp-system/vrrp-operator is not found");
    var ready =
        condition(
            aggregator.aggregate(base().build(), PLAN, OperatorStatus.EMPTY, NOW).status(),
            "Ready");
    assertThat(ready.status()).isEqualTo("False");
    assertThat(ready.reason()).isEqualTo("AgentsUnavailable");
    assertThat(ready.message()).isEqualTo(agentsProblem.get());

    // an agent that reports anyway (a DaemonSet from before) is the truth
    VirtualIP reported = base().entry("a", "MASTER", NOW).build();
    assertThat(
            condition(
                    aggregator.aggregate(reported, PLAN, OperatorStatus.EMPTY, NOW).status(),
                    "Ready")
                .reason())
        .isEqualTo("MasterElected");
  }

  @Test
  void lastTransitionTimeMovesOnlyWhenTheStatusChanges() {
    VirtualIP masterA =
        base()
            .entry("a", "MASTER", NOW)
            .entry("b", "BACKUP", NOW)
            .entry("c", "BACKUP", NOW)
            .build();
    OperatorStatus first = aggregator.aggregate(masterA, PLAN, OperatorStatus.EMPTY, NOW).status();

    // later, a different master: Ready stays True (message changes), its time stays
    Instant later = NOW.plusSeconds(60);
    VirtualIP masterB =
        base()
            .entry("a", "BACKUP", later)
            .entry("b", "MASTER", later)
            .entry("c", "BACKUP", later)
            .build();
    var second = aggregator.aggregate(masterB, PLAN, first, later);
    assertThat(condition(second.status(), "Ready").message()).contains("b holds");
    assertThat(condition(second.status(), "Ready").lastTransitionTime())
        .isEqualTo("2025-01-01T12:00:00Z");
    assertThat(second.status().transitions()).isEqualTo(2L);
    assertThat(second.status().lastFailoverTime()).isEqualTo("2025-01-01T12:01:00Z");
    assertThat(second.notices())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.reason().wire()).isEqualTo("MasterChanged");
              assertThat(n.message()).contains("b is master", "was a");
            });

    // even later, b goes stale: Degraded flips to True with a new time
    Instant stale = later.plusSeconds(45);
    VirtualIP bStale =
        base()
            .entry("a", "BACKUP", stale)
            .entry("b", "MASTER", later)
            .entry("c", "BACKUP", stale)
            .build();
    var third = aggregator.aggregate(bStale, PLAN, second.status(), stale);
    assertThat(condition(third.status(), "Degraded").lastTransitionTime())
        .isEqualTo("2025-01-01T12:01:45Z");
    assertThat(condition(third.status(), "Ready").status()).isEqualTo("False");
    assertThat(condition(third.status(), "Ready").lastTransitionTime())
        .isEqualTo("2025-01-01T12:01:45Z");
    assertThat(condition(third.status(), "Conflict").lastTransitionTime())
        .isEqualTo("2025-01-01T12:00:00Z");
    assertThat(third.notices()).extracting(n -> n.reason().wire()).containsExactly("MasterLost");
    assertThat(third.status().transitions()).isEqualTo(2L);
  }

  /**
   * A preemption: the old master yields to a higher-priority one, and its BACKUP entry can reach
   * the API server before the new master's MASTER entry. That is a handover, not a lost master: no
   * write and no MasterLost while it lasts, then one MasterChanged.
   */
  @Test
  void aHandoverIsNotALostMaster() {
    VirtualIP masterA =
        base()
            .entry("a", "MASTER", NOW)
            .entry("b", "BACKUP", NOW)
            .entry("c", "BACKUP", NOW)
            .build();
    OperatorStatus first = aggregator.aggregate(masterA, PLAN, OperatorStatus.EMPTY, NOW).status();

    Instant yielded = NOW.plusSeconds(30);
    VirtualIP aYielded =
        base()
            .entry("a", "BACKUP", yielded)
            .entry("b", "BACKUP", NOW)
            .entry("c", "BACKUP", NOW)
            .build();
    aYielded.getStatus().getNodes().get(0).setLastTransitionTime(yielded.toString());
    var during = aggregator.aggregate(aYielded, PLAN, first, yielded.plusMillis(200));
    assertThat(during.holdFor()).isEqualTo(StatusAggregator.HANDOVER_GRACE.minusMillis(200));
    assertThat(during.notices()).isEmpty();
    assertThat(during.status()).as("nothing to write yet").isEqualTo(first);

    VirtualIP bTookOver =
        base()
            .entry("a", "BACKUP", yielded)
            .masterSince("b", yielded.plusMillis(100), yielded.plusMillis(300))
            .entry("c", "BACKUP", NOW)
            .build();
    var after = aggregator.aggregate(bTookOver, PLAN, first, yielded.plusMillis(400));
    assertThat(after.holdFor()).isNull();
    assertThat(after.status().master()).isEqualTo("b");
    assertThat(after.notices()).extracting(n -> n.reason().wire()).containsExactly("MasterChanged");

    // nobody took over within the grace: that is a lost master, said once the grace is over
    var lost =
        aggregator.aggregate(aYielded, PLAN, first, yielded.plus(StatusAggregator.HANDOVER_GRACE));
    assertThat(lost.holdFor()).isNull();
    assertThat(lost.status().master()).isNull();
    assertThat(lost.notices()).extracting(n -> n.reason().wire()).containsExactly("MasterLost");
  }

  /** A node found another host answering for the address before the first claim: a Conflict. */
  @Test
  void anAddressAnotherHostUsesIsAConflictNamingTheNode() {
    VirtualIP v =
        base()
            .entry(
                "a",
                "FAULT",
                NOW,
                "addresses: 192.0.2.10 is in use on the segment (02:00:00:00:00:02 "
                    + "answered for it)")
            .entry("b", "BACKUP", NOW)
            .build();
    v.getStatus().getNodes().get(0).setReason("AddressInUse");
    var result = aggregator.aggregate(v, PLAN, OperatorStatus.EMPTY, NOW);
    assertThat(condition(result.status(), "Conflict"))
        .satisfies(
            c -> {
              assertThat(c.status()).isEqualTo("True");
              assertThat(c.reason()).isEqualTo("AddressInUse");
              assertThat(c.message())
                  .startsWith("a: addresses: 192.0.2.10 is in use on the segment");
            });
    assertThat(condition(result.status(), "Ready").reason()).isEqualTo("AddressInUse");
    assertThat(result.notices()).extracting(n -> n.reason().wire()).containsExactly("AddressInUse");
  }

  @Test
  void nothingChangedMeansAnEqualStatusAndNoEvents() {
    VirtualIP v =
        base()
            .entry("a", "MASTER", NOW)
            .entry("b", "BACKUP", NOW)
            .entry("c", "BACKUP", NOW)
            .build();
    OperatorStatus first = aggregator.aggregate(v, PLAN, OperatorStatus.EMPTY, NOW).status();
    var second = aggregator.aggregate(v, PLAN, first, NOW.plusSeconds(10));
    assertThat(second.status()).isEqualTo(first);
    assertThat(second.notices()).isEmpty();
  }

  @Test
  void aConflictIsNotInstalledAndSaysWhy() {
    VipPlan refused =
        new VipPlan(
            Set.of("a", "b"),
            null,
            List.of(),
            new Conflict(
                Reason.VRID_CONFLICT, "virtualRouterId 7 is already used by VirtualIP x on node a"),
            null);
    var result = aggregator.aggregate(base().build(), refused, OperatorStatus.EMPTY, NOW);
    OperatorStatus s = result.status();
    assertThat(s.virtualRouterId()).isNull();
    assertThat(s.priorities()).isEmpty();
    assertThat(condition(s, "Conflict"))
        .satisfies(
            c -> {
              assertThat(c.status()).isEqualTo("True");
              assertThat(c.reason()).isEqualTo("VridConflict");
              assertThat(c.message()).contains("VirtualIP x");
            });
    assertThat(condition(s, "Ready").reason()).isEqualTo("VridConflict");
    assertThat(condition(s, "Degraded").status()).isEqualTo("Unknown");
    assertThat(result.notices()).extracting(n -> n.reason().wire()).containsExactly("VridConflict");
    assertThat(
            new OperatorStatus(null, null, List.of(), null, List.of(), null, null, null)
                .toApplyPatch("web"))
        .doesNotContain("priorities");
  }

  @Test
  void noSelectedNodeIsNotReady() {
    VipPlan nowhere = new VipPlan(Set.of(), null, List.of(), null, null);
    OperatorStatus s =
        aggregator
            .aggregate(base().selector("zone", "mars").build(), nowhere, OperatorStatus.EMPTY, NOW)
            .status();
    assertThat(condition(s, "Ready").reason()).isEqualTo("NoNodesSelected");
    assertThat(condition(s, "Ready").message()).contains("{zone=mars}");
    assertThat(s.ready()).isEqualTo("0/0");
  }

  @Test
  void invalidSpecIsReportedOnReady() {
    VipPlan invalid =
        new VipPlan(Set.of("a"), null, List.of(), null, "spec.priorities: node a is listed twice");
    OperatorStatus s =
        aggregator.aggregate(base().build(), invalid, OperatorStatus.EMPTY, NOW).status();
    assertThat(condition(s, "Ready").reason()).isEqualTo("InvalidSpec");
    assertThat(condition(s, "Ready").message()).contains("listed twice");
    assertThat(condition(s, "Conflict").status()).isEqualTo("Unknown");
  }

  @Test
  void recheckWhenTheNextHeartbeatGoesStale() {
    VirtualIP v =
        base()
            .entry("a", "MASTER", NOW.minusSeconds(20))
            .entry("b", "BACKUP", NOW.minusSeconds(5))
            .build();
    Duration recheck = aggregator.aggregate(v, PLAN, OperatorStatus.EMPTY, NOW).recheckIn();
    assertThat(recheck).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(11));
  }

  @Test
  void applyPatchNamesOnlyTheOperatorsFields() {
    VirtualIP v = base().entry("a", "MASTER", NOW).build();
    String patch =
        aggregator.aggregate(v, PLAN, OperatorStatus.EMPTY, NOW).status().toApplyPatch("web");
    assertThat(patch)
        .doesNotContain("\"nodes\"")
        .contains(
            "\"master\":\"a\"",
            "\"virtualRouterId\":7",
            "\"conditions\"",
            "\"priorities\"",
            "\"name\":\"web\"",
            "\"kind\":\"VirtualIP\"");
  }

  @Test
  void heartbeatTimesWithOffsetsParse() {
    VirtualIP v = base().build();
    var e = new NodeStatus();
    e.setName("a");
    e.setState("MASTER");
    e.setHeartbeatTime("2025-01-01T13:59:55+02:00");
    v.getStatus().getNodes().add(e);
    assertThat(aggregator.aggregate(v, PLAN, OperatorStatus.EMPTY, NOW).status().master())
        .isEqualTo("a");
  }

  @Test
  void anEntryWhoseHeartbeatTimeDoesNotParseIsNeverFresh() {
    VirtualIP v = base().entry("a", "MASTER", NOW).build();
    v.getStatus().getNodes().get(0).setHeartbeatTime("2025-01-01 12:00:00");
    var result = aggregator.aggregate(v, PLAN, OperatorStatus.EMPTY, NOW);
    assertThat(result.status().master()).isNull();
    assertThat(aggregator.fresh(v.getStatus().getNodes().get(0), NOW)).isFalse();
  }

  /** The operator's summary while a was master of all three. */
  private static OperatorStatus aWasMaster() {
    return new OperatorStatus("a", 7, PLAN.priorities(), "3/3", List.of(), 3L, 1L, null);
  }

  @Test
  void aDeadMastersLingeringEntryIsSupersededNotSplitBrain() {
    // a was master since 11:50, last reported 11:59:50 and died; b took over at 11:59:55
    VirtualIP v =
        base()
            .masterSince("a", NOW.minusSeconds(600), NOW.minusSeconds(10))
            .masterSince("b", NOW.minusSeconds(5), NOW.minusSeconds(5))
            .entry("c", "BACKUP", NOW)
            .build();
    var result = aggregator.aggregate(v, PLAN, aWasMaster(), NOW);
    assertThat(result.status().master()).isEqualTo("b");
    assertThat(condition(result.status(), "SplitBrain").status()).isEqualTo("False");
    assertThat(condition(result.status(), "Degraded").message())
        .contains("a: MASTER superseded by b");
    assertThat(result.status().ready()).isEqualTo("2/3");
    assertThat(result.notices())
        .extracting(n -> n.reason().wire())
        .containsExactly("MasterChanged");
    assertThat(result.notices().get(0).message()).contains("b is master", "was a");
  }

  @Test
  void aLowerNodeThatTookOverInARaceIsNotTheMasterWhileItYields() {
    // a died; b (200) and c (150) both timed out on it, c 40 ms later, before b's first
    // advertisement reached it: c yields to b within an interval, its BACKUP entry is on its way
    Instant b = NOW.minusMillis(500);
    VirtualIP v =
        base()
            .interval("100ms")
            .masterSince("a", NOW.minusSeconds(600), NOW.minusSeconds(5), 250)
            .masterSince("b", b, b.plusMillis(5), 200)
            .masterSince("c", b.plusMillis(40), b.plusMillis(45), 150)
            .build();
    var result = aggregator.aggregate(v, PLAN, aWasMaster(), NOW);
    assertThat(result.status().master()).isEqualTo("b");
    assertThat(condition(result.status(), "SplitBrain").status()).isEqualTo("False");
    assertThat(result.status().ready()).as("c serves, as a backup in a moment").isEqualTo("2/3");
    assertThat(condition(result.status(), "Degraded").message())
        .contains("a: MASTER superseded by")
        .doesNotContain("c:");
  }

  @Test
  void aRacingTakeoverNamesTheHigherNodeWithoutADeadMastersEntry() {
    Instant b = NOW.minusMillis(500);
    assertThat(masterAfter(b, b.plusMillis(40), b.plusMillis(45))).isEqualTo("b");
  }

  @Test
  void aLowerNodeThatTookOverAfterMasterDownIntervalSupersedesTheHigherOne() {
    // b took over and died 200 ms later; c heard b and timed out on it 3 intervals + skew later
    Instant b = NOW.minusSeconds(2);
    assertThat(masterAfter(b, b.plusMillis(580), b.plusMillis(585))).isEqualTo("c");
  }

  @Test
  void aLowerNodeStillMasterAtItsNextReportWasNoRace() {
    // c took over just after b but still says MASTER at its next heartbeat: b did not win
    Instant b = NOW.minusSeconds(11);
    assertThat(masterAfter(b, b.plusMillis(40), NOW.minusSeconds(1))).isEqualTo("c");
  }

  /**
   * status.master when b (200) became MASTER at {@code b} and reported then, and c (150) became
   * MASTER at {@code c} and last reported at {@code cReported}; 100 ms advertisements.
   */
  private String masterAfter(Instant b, Instant c, Instant cReported) {
    VirtualIP v =
        base()
            .interval("100ms")
            .masterSince("c", c, cReported, 150)
            .masterSince("b", b, b.plusMillis(5), 200)
            .build();
    return aggregator.aggregate(v, PLAN, OperatorStatus.EMPTY, NOW).status().master();
  }

  @Test
  void twoMastersBothReportingAfterBothTakeoversAreSplitBrain() {
    VirtualIP v =
        base()
            .masterSince("a", NOW.minusSeconds(600), NOW.minusSeconds(1))
            .masterSince("b", NOW.minusSeconds(5), NOW.minusSeconds(2))
            .build();
    var result = aggregator.aggregate(v, PLAN, OperatorStatus.EMPTY, NOW);
    assertThat(result.status().master()).isNull();
    assertThat(condition(result.status(), "SplitBrain").status()).isEqualTo("True");
  }

  @Test
  void aSharedVridIsSaidOnTheConflictCondition() {
    VipPlan shared = new VipPlan(Set.of("a", "b", "c"), 7, PLAN.priorities(), null, null, "leader");
    OperatorStatus s =
        aggregator.aggregate(base().build(), shared, OperatorStatus.EMPTY, NOW).status();
    assertThat(condition(s, "Conflict").status()).isEqualTo("False");
    assertThat(condition(s, "Conflict").reason()).isEqualTo("VridShared");
    assertThat(condition(s, "Conflict").message())
        .contains("VirtualIP leader", "fail over together");
    assertThat(s.virtualRouterId()).isEqualTo(7);
  }
}
