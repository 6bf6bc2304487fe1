package dev.vrrp.operator.status;

import dev.vrrp.api.v1alpha1.VirtualIP;

/** Where the reconciler's Events go: one place, so tests can capture them. */
public interface EventRecorder {
  void record(VirtualIP vip, StatusAggregator.Notice notice);
}
