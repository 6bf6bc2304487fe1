package dev.vrrp.agent.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.agent.loop.AddressLease;
import dev.vrrp.agent.loop.NodeAgent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;

/**
 * What no fault may cause, checked on a run's results: the rules of the product, not timings. Two
 * masters at once are allowed only while a partition lasts (VRRP cannot tell it from a dead master)
 * and, after any fault, for at most one advertisement interval, which is how long a capture can
 * still show the yielding side's last advertisement in flight.
 */
final class FaultRules {
  private FaultRules() {}

  static void check(
      List<FaultRun.Result> results, Duration interval, Map<String, String> finalAddresses) {
    double allowedMs = interval.toMillis();
    SoftAssertions soft = new SoftAssertions();
    for (FaultRun.Result r : results) {
      String what = r.n() + " " + r.fault() + " on " + r.target();
      if (!r.fault().splitsBrainByDesign()) {
        soft.assertThat(r.during().dualMasterMs())
            .as(what + ": two masters")
            .isLessThanOrEqualTo(allowedMs);
      }
      soft.assertThat(r.after().dualMasterMs())
          .as(what + ": two masters after it was undone")
          .isLessThanOrEqualTo(allowedMs);
      soft.assertThat(r.whole().masters()).as(what + ": masters").isNotEmpty();
      // the kernels' view: a killed agent's copy lives until its lease ends (AddressLease), plus
      // the
      // kernel's one-second granularity; a node whose cable is out keeps its copy (reaching nobody)
      // until its next data path check; otherwise a handover is a matter of milliseconds
      double onTwoNodesAllowed =
          switch (r.fault()) {
            case KILL, CRASH_LOOP -> AddressLease.of(interval).plusSeconds(1).toMillis();
            case LINK -> NodeAgent.DATA_PATH_CHECK.plus(interval).toMillis();
            case PARTITION -> Double.MAX_VALUE;
            default -> allowedMs;
          };
      soft.assertThat(r.onTwoNodesMs())
          .as(what + ": the VIP on two nodes")
          .isLessThanOrEqualTo(onTwoNodesAllowed);
      soft.assertThat(r.onTwoNodesAfterMs())
          .as(what + ": the VIP on two nodes after it was undone")
          .isLessThanOrEqualTo(r.fault().killsTheMaster() ? onTwoNodesAllowed : allowedMs);
    }
    finalAddresses.forEach(
        (node, addresses) -> {
          long vips = addresses.lines().filter(l -> l.contains(" " + FaultRun.VIP + "/")).count();
          soft.assertThat(vips)
              .as(node + " holds the VIP at the end")
              .isEqualTo(node.equals("a") ? 1 : 0);
          soft.assertThat(addresses.lines().filter(l -> l.contains(" inet ")).count())
              .as(node + "'s IPv4 addresses at the end: its own, and on a the VIP\n" + addresses)
              .isEqualTo(node.equals("a") ? 2 : 1);
        });
    soft.assertAll();
    assertThat(results).isNotEmpty();
  }
}
