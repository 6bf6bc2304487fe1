package dev.vrrp.operator;

import dev.vrrp.operator.status.EventRecorder;
import dev.vrrp.operator.status.StatusAggregator;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Records every Event and counts it by type and reason, so the metric cannot miss an Event that one
 * path of the reconciler records and another forgets to count.
 */
final class CountedEvents implements EventRecorder {
  private final EventRecorder events;
  private final OperatorMetrics metrics;

  CountedEvents(EventRecorder events, OperatorMetrics metrics) {
    this.events = events;
    this.metrics = metrics;
  }

  @Override
  public void record(HasMetadata object, StatusAggregator.Notice notice) {
    events.record(object, notice);
    metrics.event(notice.type().wire(), notice.reason().wire());
  }
}
