package dev.vrrp.operator.status;

import static dev.vrrp.operator.Vips.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.vocabulary.EventType;
import dev.vrrp.api.vocabulary.Reason;
import dev.vrrp.operator.plan.VipPlan;
import dev.vrrp.operator.status.OperatorStatus.StatusCondition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusCoalescerTest {
  private static OperatorStatus status(
      String master, String ready, String readyStatus, String degraded) {
    return new OperatorStatus(
        master,
        7,
        List.of(new VipPlan.Ranked("a", 250)),
        ready,
        List.of(
            new StatusCondition("Ready", readyStatus, "R", "m", 1L, "t"),
            new StatusCondition("Degraded", degraded, "D", "m", 1L, "t"),
            new StatusCondition("SplitBrain", "False", "S", "m", 1L, "t"),
            new StatusCondition("Conflict", "False", "C", "m", 1L, "t")),
        1L,
        0L,
        null);
  }

  @Test
  void bookkeepingMayWaitButMastersAndReadinessMayNot() {
    OperatorStatus waiting = status(null, "0/3", "Unknown", "True");
    assertThat(StatusCoalescer.urgent(waiting, status(null, "1/3", "False", "True"))).isFalse();
    assertThat(
            StatusCoalescer.urgent(
                status(null, "1/3", "False", "True"), status(null, "2/3", "False", "True")))
        .isFalse();
    assertThat(
            StatusCoalescer.urgent(
                status(null, "2/3", "False", "True"), status("a", "3/3", "True", "False")))
        .isTrue();
    assertThat(
            StatusCoalescer.urgent(
                status("a", "3/3", "True", "False"), status("a", "2/3", "True", "True")))
        .isFalse();
    assertThat(StatusCoalescer.urgent(OperatorStatus.EMPTY, waiting)).isTrue();
  }

  private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

  private static StatusAggregator.Result result(
      OperatorStatus status, StatusAggregator.Notice... notices) {
    return new StatusAggregator.Result(status, List.of(notices), null);
  }

  @Test
  void bookkeepingWaitsForTheRestThenIsWritten() {
    StatusCoalescer writes = new StatusCoalescer();
    VirtualIP v = vip("web").build();
    OperatorStatus before = status(null, "1/3", "False", "True");
    OperatorStatus after = status(null, "2/3", "False", "True");

    assertThat(writes.delay(v, before, result(after), NOW)).contains(StatusCoalescer.COALESCE);
    assertThat(writes.delay(v, before, result(after), NOW.plusMillis(500)))
        .contains(StatusCoalescer.COALESCE.minusMillis(500));
    assertThat(writes.delay(v, before, result(after), NOW.plus(StatusCoalescer.COALESCE)))
        .isEmpty();

    // written: the next change waits its own time
    writes.written(v, after);
    assertThat(writes.delay(v, after, result(before), NOW.plusSeconds(10)))
        .contains(StatusCoalescer.COALESCE);
    writes.nothingPending(v);
    assertThat(writes.delay(v, after, result(before), NOW.plusSeconds(20)))
        .contains(StatusCoalescer.COALESCE);
  }

  @Test
  void urgentChangesEventsAndUnknownUidsAreWrittenAtOnce() {
    StatusCoalescer writes = new StatusCoalescer();
    VirtualIP v = vip("web").build();
    OperatorStatus before = status(null, "1/3", "False", "True");
    assertThat(writes.delay(v, before, result(status("a", "3/3", "True", "False")), NOW)).isEmpty();
    assertThat(
            writes.delay(
                v,
                before,
                result(
                    status(null, "2/3", "False", "True"),
                    new StatusAggregator.Notice(EventType.WARNING, Reason.MASTER_LOST, "gone")),
                NOW))
        .isEmpty();
    VirtualIP noUid = vip("new").build();
    noUid.getMetadata().setUid(null);
    assertThat(writes.delay(noUid, before, result(status(null, "2/3", "False", "True")), NOW))
        .isEmpty();
  }

  @Test
  void theLastWriteIsThePreviousSummaryUntilTheCacheCatchesUp() {
    StatusCoalescer writes = new StatusCoalescer();
    VirtualIP cached = vip("web").build(); // resourceVersion 1, empty status
    VirtualIP stored = vip("web").build();
    stored.getMetadata().setResourceVersion("5");
    OperatorStatus written = status("a", "3/3", "True", "False");
    writes.written(stored, written);

    assertThat(writes.previous(cached)).isEqualTo(written);
    cached.getMetadata().setResourceVersion("5");
    assertThat(writes.previous(cached)).isEqualTo(OperatorStatus.of(cached.getStatus()));
    cached.getMetadata().setResourceVersion("1");
    assertThat(writes.previous(cached))
        .as("caught up once: forgotten")
        .isEqualTo(OperatorStatus.of(cached.getStatus()));

    writes.written(stored, written);
    writes.forget(stored);
    assertThat(writes.previous(cached)).isEqualTo(OperatorStatus.of(cached.getStatus()));
  }
}
