package dev.vrrp.operator;

import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.operator.status.EventRecorder;
import dev.vrrp.operator.status.OperatorStatus;
import dev.vrrp.operator.status.StatusAggregator;
import dev.vrrp.operator.status.StatusCoalescer;
import dev.vrrp.operator.status.StatusWriter;
import dev.vrrp.operator.status.VirtualIpMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Puts a reconcile's summary on the VirtualIP when it is due (the {@link StatusCoalescer} says
 * when), and its Events only with that write: a reconcile that writes nothing builds on the same
 * previous summary next time and derives the same Events again, so recording them without the write
 * would record them twice.
 */
final class StatusPublisher {
  private final StatusWriter writer;
  private final StatusCoalescer writes;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final VirtualIpMetrics shown;

  StatusPublisher(
      StatusWriter writer,
      StatusCoalescer writes,
      EventRecorder events,
      OperatorMetrics metrics,
      VirtualIpMetrics shown) {
    this.writer = writer;
    this.writes = writes;
    this.events = events;
    this.metrics = metrics;
    this.shown = shown;
  }

  /** The summary to build on (see {@link StatusCoalescer#previous}). */
  OperatorStatus previous(VirtualIP vip) {
    return writes.previous(vip);
  }

  /**
   * Writes {@code result} now, or not yet; empty when nothing waits, else how soon to look again: a
   * handover's hold (the new master's entry is on its way) or a coalesced change's wait. The
   * metrics show the result at once, written or not; {@code nodeStates} as the summary counts them.
   */
  Optional<Duration> publish(
      VirtualIP vip,
      OperatorStatus previous,
      StatusAggregator.Result result,
      Map<String, String> nodeStates,
      Instant now) {
    shown.show(
        vip.getMetadata().getName(),
        result.status(),
        OperatorStatus.of(vip.getStatus()),
        nodeStates);
    if (result.holdFor() != null) {
      return Optional.of(result.holdFor());
    }
    if (result.status().equals(previous)) {
      writes.nothingPending(vip);
      return Optional.empty();
    }
    Optional<Duration> delay = writes.delay(vip, previous, result, now);
    if (delay.isPresent()) {
      return delay; // written then, with whatever else arrived meanwhile
    }
    VirtualIP stored = writer.apply(vip, result.status());
    writes.written(stored, result.status());
    metrics.statusWritten();
    result.notices().forEach(notice -> events.record(vip, notice));
    return Optional.empty();
  }

  /** The VirtualIP is gone (or going): nothing of it waits. */
  void forget(VirtualIP vip) {
    writes.forget(vip);
    shown.forget(vip.getMetadata().getName());
  }
}
