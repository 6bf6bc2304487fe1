package dev.vrrp.operator;

import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.operator.status.EventRecorder;
import dev.vrrp.operator.status.StatusAggregator;

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
  public void record(VirtualIP vip, StatusAggregator.Notice notice) {
    events.record(vip, notice);
    metrics.event(notice.type().wire(), notice.reason().wire());
  }
}
