package dev.vrrp.agent.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite's long run: {@code bench.faults} faults (300 by default), figures per fault kind
 * to benchmarks/results/faults.md, and the same rules as the short run. {@code benchmarks/run
 * FaultBenchmark}.
 */
@Tag("benchmark")
class FaultBenchmark {
  @TempDir Path dir;

  @Test
  void faultsInRandomOrder() throws Exception {
    Duration interval = Duration.ofMillis(Long.getLong("bench.faults.intervalMs", 300));
    long seed = Long.getLong("faults.seed", System.currentTimeMillis());
    int events = Integer.getInteger("bench.faults", 300);
    try (FaultRun run = new FaultRun(dir, interval, seed)) {
      List<FaultRun.Result> results = run.run(events, List.of(Fault.values()));
      String setup =
          String.format(
              "Three agents (priorities 200, 150, 100) and a client pinging the VIP every 5 ms on"
                  + " one bridge, VRRPv3, %d ms advertisements, %d faults in random order (seed %d),"
                  + " each undone after 0.5 to 5 s; figures from a capture on the bridge and a"
                  + " 20 ms watch of every node's addresses. `benchmarks/run FaultBenchmark`.",
              interval.toMillis(), events, seed);
      String md = FaultReport.markdown(results, setup);
      System.out.println(FaultReport.events(results));
      System.out.println(md);
      FaultReport.write(Path.of("..", "benchmarks", "results", "faults.md"), md);
      FaultRules.check(results, interval, run.addresses());
    }
  }
}
