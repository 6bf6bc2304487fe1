package dev.vrrp.operator;

import static dev.vrrp.operator.Vips.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.vocabulary.EventType;
import dev.vrrp.api.vocabulary.Reason;
import dev.vrrp.operator.plan.VipPlan;
import dev.vrrp.operator.status.OperatorStatus;
import dev.vrrp.operator.status.OperatorStatus.StatusCondition;
import dev.vrrp.operator.status.StatusAggregator;
import dev.vrrp.operator.status.StatusCoalescer;
import dev.vrrp.operator.status.StatusWriter;
import dev.vrrp.operator.status.VirtualIpMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusPublisherTest {
  private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
  private static final StatusAggregator.Notice ELECTED =
      new StatusAggregator.Notice(EventType.NORMAL, Reason.MASTER_ELECTED, "a holds the addresses");

  private final List<OperatorStatus> written = new ArrayList<>();
  private final List<StatusAggregator.Notice> recorded = new ArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final StatusPublisher publisher =
      new StatusPublisher(
          new StatusWriter(null) {
            @Override
            public VirtualIP apply(VirtualIP vip, OperatorStatus status) {
              written.add(status);
              VirtualIP stored = vip("web").build();
              stored.getMetadata().setResourceVersion("2");
              return stored;
            }
          },
          new StatusCoalescer(),
          (vip, notice) -> recorded.add(notice),
          new OperatorMetrics(registry),
          new VirtualIpMetrics(registry));
  private final VirtualIP web = vip("web").build();

  private static OperatorStatus status(String master, String ready) {
    return new OperatorStatus(
        master,
        7,
        List.of(new VipPlan.Ranked("a", 250)),
        ready,
        List.of(new StatusCondition("Ready", "False", "R", "m", 1L, "t")),
        1L,
        0L,
        null);
  }

  @Test
  void anUrgentChangeIsWrittenNowWithItsEvents() {
    var result = new StatusAggregator.Result(status("a", "3/3"), List.of(ELECTED), null, null);

    assertThat(publisher.publish(web, status(null, "2/3"), result, Map.of(), NOW)).isEmpty();

    assertThat(written).containsExactly(status("a", "3/3"));
    assertThat(recorded).containsExactly(ELECTED);
    assertThat(registry.get("vrrp.operator.status.writes").counter().count()).isEqualTo(1.0);
  }

  @Test
  void aBookkeepingChangeWaitsForOthersToJoinIt() {
    var result = new StatusAggregator.Result(status(null, "2/3"), List.of(), null, null);

    Optional<Duration> waiting = publisher.publish(web, status(null, "1/3"), result, Map.of(), NOW);

    assertThat(waiting).hasValueSatisfying(wait -> assertThat(wait).isPositive());
    assertThat(written).isEmpty();
  }

  @Test
  void aHandoverHoldsTheWriteAndItsEvents() {
    var result =
        new StatusAggregator.Result(
            status("b", "3/3"), List.of(ELECTED), null, Duration.ofMillis(300));

    assertThat(publisher.publish(web, status("a", "3/3"), result, Map.of(), NOW))
        .contains(Duration.ofMillis(300));

    assertThat(written).isEmpty();
    assertThat(recorded).isEmpty();
  }

  @Test
  void anUnchangedSummaryWritesNothing() {
    var result = new StatusAggregator.Result(status("a", "3/3"), List.of(ELECTED), null, null);

    assertThat(publisher.publish(web, status("a", "3/3"), result, Map.of(), NOW)).isEmpty();

    assertThat(written).isEmpty();
    assertThat(recorded).isEmpty();
  }
}
