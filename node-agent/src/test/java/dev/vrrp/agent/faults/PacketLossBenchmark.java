package dev.vrrp.agent.faults;

import dev.vrrp.agent.lab.Keepalived;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spurious transitions per hour at 10, 30 and 50 % loss of VRRP packets, node-agent beside
 * keepalived in the same run ({@code bench.loss.seconds} each, 300 by default), to
 * benchmarks/results/packet-loss.md. {@code benchmarks/run PacketLossBenchmark}.
 */
@Tag("benchmark")
class PacketLossBenchmark {
  @TempDir Path dir;

  @Test
  void spuriousTransitionsUnderLoss() throws Exception {
    Duration each = Duration.ofSeconds(Long.getLong("bench.loss.seconds", 300));
    try (LossRun run = new LossRun(dir)) {
      List<LossRun.Result> results = run.run(List.of(10, 30, 50), each);
      String md =
          LossRun.markdown(
              results,
              "A node-agent pair (priorities 200 and 100, VRID 51) and a keepalived "
                  + Keepalived.version()
                  + " pair at the same settings (VRID 52) on one bridge, VRRPv3, 100 ms"
                  + " advertisements, multicast. The bridge drops the given share of all IP"
                  + " protocol 112 packets at random (nftables numgen, bridge family). A backup"
                  + " takeover is a run of advertisements from the backup seen on the bridge:"
                  + " each is a spurious transition to master and back. "
                  + each.toSeconds()
                  + " s per loss rate. `benchmarks/run PacketLossBenchmark`.");
      System.out.println(md);
      FaultReport.write(Path.of("..", "benchmarks", "results", "packet-loss.md"), md);
    }
  }
}
