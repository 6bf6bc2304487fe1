package dev.vrrp.operator;

import static dev.vrrp.operator.Vips.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.vocabulary.EventType;
import dev.vrrp.api.vocabulary.Reason;
import dev.vrrp.operator.status.StatusAggregator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CountedEventsTest {
  @Test
  void everyRecordedEventIsCountedByTypeAndReason() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<String> recorded = new ArrayList<>();
    CountedEvents events =
        new CountedEvents(
            (vip, notice) -> recorded.add(vip.getMetadata().getName() + " " + notice.reason()),
            new OperatorMetrics(registry));
    VirtualIP web = vip("web").build();

    events.record(web, new StatusAggregator.Notice(EventType.WARNING, Reason.SPLIT_BRAIN, "m"));
    events.record(web, new StatusAggregator.Notice(EventType.WARNING, Reason.SPLIT_BRAIN, "m"));
    events.record(
        web, new StatusAggregator.Notice(EventType.NORMAL, Reason.ADDRESSES_RELEASED, "m"));

    assertThat(recorded)
        .containsExactly("web SplitBrain", "web SplitBrain", "web AddressesReleased");
    assertThat(count(registry, "Warning", "SplitBrain")).isEqualTo(2.0);
    assertThat(count(registry, "Normal", "AddressesReleased")).isEqualTo(1.0);
  }

  private static double count(SimpleMeterRegistry registry, String type, String reason) {
    return registry
        .get("vrrp.operator.events")
        .tag("type", type)
        .tag("reason", reason)
        .counter()
        .count();
  }
}
