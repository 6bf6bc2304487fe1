package dev.vrrp.agent.keepalived;

import dev.vrrp.api.v1alpha1.HealthCheck;
import java.util.List;

/**
 * A {@code vrrp_track_process} block as the process check it becomes: one word is the process's
 * name, more are its command line, as keepalived matches them. keepalived's weight defaults to 1
 * here, ours to 0, so the weight is always written. Quorums other than "at least one", partial
 * parameter matches and delays have no equivalent and are reported.
 */
final class TrackProcess implements Tracked {
  /** keepalived's default weight of a vrrp_track_process. */
  private static final int KEEPALIVED_WEIGHT = 1;

  final Word name;
  final List<String> process;
  final int weight;

  private TrackProcess(Word name, List<String> process, int weight) {
    this.name = name;
    this.process = process;
    this.weight = weight;
  }

  static TrackProcess read(Statement block, NoticeList notices) {
    Word name = block.args().isEmpty() ? block.words().get(0) : block.args().get(0);
    List<String> process = List.of();
    int weight = KEEPALIVED_WEIGHT;
    for (Statement s : block.children()) {
      switch (s.keyword()) {
        case "process" -> process = s.args().stream().map(Word::text).toList();
        case "weight" -> {
          Integer w = Numbers.weight(s, notices);
          weight = w == null ? weight : w;
        }
        case "quorum" -> {
          if (!"1".equals(s.arg(0))) {
            notices.error(
                s, "not converted: a process check is healthy while at least one process runs");
          }
        }
        case "quorum_max", "param_match", "full_command" ->
            notices.error(
                s,
                "not converted: a process check matches one word against the process name, more"
                    + " words against the whole command line");
        case "delay", "fork_delay", "terminate_delay" ->
            notices.warning(
                s, "not converted: use the check's fall and rise to ride out a restart instead");
        default -> notices.error(s, "not converted: vrrp_track_process has no such setting here");
      }
    }
    if (process.isEmpty()) {
      notices.error(block, name.text() + " has no process; its check cannot run");
    }
    return new TrackProcess(name, process, weight);
  }

  @Override
  public HealthCheck check(Integer weightOverride) {
    HealthCheck check = new HealthCheck();
    check.setType("process");
    check.setName(name.text());
    check.setProcess(process);
    check.setWeight(weightOverride != null ? weightOverride : weight);
    return check;
  }
}
