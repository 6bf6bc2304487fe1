package dev.vrrp.agent.health;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every verdict a tracker announces, in order. */
final class RecordingListener implements HealthListener {
  private final List<HealthVerdict> verdicts = new CopyOnWriteArrayList<>();
  private final List<String> reasons = new CopyOnWriteArrayList<>();

  @Override
  public void verdictChanged(HealthVerdict verdict, String why) {
    verdicts.add(verdict);
    reasons.add(why);
  }

  List<HealthVerdict> verdicts() {
    return verdicts;
  }

  List<String> reasons() {
    return reasons;
  }

  HealthVerdict last() {
    return verdicts.isEmpty() ? null : verdicts.get(verdicts.size() - 1);
  }
}
