package dev.vrrp.agent.keepalived;

import dev.vrrp.api.text.IpLiteral;
import dev.vrrp.api.v1alpha1.HealthCheck;
import java.time.Duration;
import java.util.List;

/**
 * A {@code vrrp_script} block as the exec check it becomes once an instance tracks it. keepalived's
 * defaults (interval 1 s, timeout = interval, weight 0, fall 1, rise 1) are ours, so only what the
 * block sets is carried over.
 */
final class TrackScript implements Tracked {
  final Word name;
  final List<String> command;
  final Duration interval;
  final Duration timeout;
  final Integer weight;
  final boolean reverse;
  final Integer fall;
  final Integer rise;

  private TrackScript(
      Word name,
      List<String> command,
      Duration interval,
      Duration timeout,
      Integer weight,
      boolean reverse,
      Integer fall,
      Integer rise) {
    this.name = name;
    this.command = command;
    this.interval = interval;
    this.timeout = timeout;
    this.weight = weight;
    this.reverse = reverse;
    this.fall = fall;
    this.rise = rise;
  }

  static TrackScript read(Statement block, NoticeList notices) {
    Word name = block.args().isEmpty() ? block.words().get(0) : block.args().get(0);
    List<String> command = List.of();
    Duration interval = null;
    Duration timeout = null;
    Integer weight = null;
    boolean reverse = false;
    Integer fall = null;
    Integer rise = null;
    for (Statement s : block.children()) {
      switch (s.keyword()) {
        case "script" -> {
          command = ScriptCommand.argv(s.args());
          gatewayHint(s, command, notices);
        }
        case "interval" -> interval = Numbers.seconds(s, notices);
        case "timeout" -> timeout = Numbers.seconds(s, notices);
        case "weight" -> {
          weight = Numbers.weight(s, notices);
          reverse = "reverse".equals(s.arg(1));
        }
        case "fall" -> fall = Numbers.integer(s, notices);
        case "rise" -> rise = Numbers.integer(s, notices);
        case "user" ->
            notices.warning(
                s,
                "not converted: the agent runs checks as its own user; to drop privileges make the"
                    + " command e.g. runuser -u "
                    + s.arg(0)
                    + " -- ...");
        case "init_fail" ->
            notices.warning(
                s, "not converted: a check is neither healthy nor failing before its first probe");
        default -> notices.error(s, "not converted: vrrp_script has no such setting here");
      }
    }
    if (command.isEmpty()) {
      notices.error(block, name.text() + " has no script; its check cannot run");
    }
    return new TrackScript(name, command, interval, timeout, weight, reverse, fall, rise);
  }

  static final String REVERSE =
      "'reverse' is not converted: a check's weight counts while it is healthy (weight > 0) or"
          + " while it fails (weight < 0); rewrite the script to report the opposite";

  @Override
  public HealthCheck check(Integer weightOverride) {
    HealthCheck check = new HealthCheck();
    check.setType("exec");
    check.setName(name.text());
    check.setCommand(command);
    check.setInterval(interval == null ? null : Seconds.format(interval));
    check.setTimeout(timeout == null ? null : Seconds.format(timeout));
    check.setWeight(weightOverride != null ? weightOverride : weight);
    check.setFall(fall);
    check.setRise(rise);
    return check;
  }

  // The tutorials' split-brain guard pings the gateway from a script; we have that built in.
  private static void gatewayHint(Statement s, List<String> argv, NoticeList notices) {
    if (argv.size() > 1
        && (argv.get(0).equals("ping") || argv.get(0).endsWith("/ping"))
        && IpLiteral.tryParse(argv.get(argv.size() - 1)).isPresent()) {
      notices.info(
          s,
          "converted as an exec check; {type: gateway, address: "
              + argv.get(argv.size() - 1)
              + "} probes the same without starting a process each time");
    }
  }
}
