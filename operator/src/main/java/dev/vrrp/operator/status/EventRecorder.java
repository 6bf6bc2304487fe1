package dev.vrrp.operator.status;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Where the reconciler's Events go: one place, so tests can capture them. */
public interface EventRecorder {
  void record(HasMetadata object, StatusAggregator.Notice notice);
}
