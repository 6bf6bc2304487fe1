package dev.vrrp.agent.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite's long run: {@code bench.faults} faults (1000 by default), figures per fault kind
 * to benchmarks/results/faults.md, and the same rules as the short run. {@code benchmarks/run
 * FaultBenchmark}.
 */
@Tag("benchmark")
class FaultBenchmark {
  @TempDir Path dir;

  @Test
  void faultsInRandomOrder() throws Exception {
    Duration interval = Duration.ofMillis(Long.getLong("bench.faults.intervalMs", 100));
    long seed = Long.getLong("faults.seed", System.currentTimeMillis());
    int events = Integer.getInteger("bench.faults", 1000);
    List<FaultRun.Result> crashLoop;
    try (FaultRun run = new FaultRun(dir, interval, seed).crashLoopFor(Duration.ofMinutes(1))) {
      crashLoop = run.run(1, List.of(Fault.CRASH_LOOP));
      FaultRules.check(crashLoop, interval, run.addresses());
    }
    try (FaultRun run = new FaultRun(dir, interval, seed)) {
      List<FaultRun.Result> results = new ArrayList<>(run.run(events, Fault.mix()));
      results.addAll(crashLoop);
      String setup =
          String.format(
              "Three agents (priorities 200, 150, 100) and a client pinging the VIP every 5 ms on"
                  + " one bridge, VRRPv3, %d ms advertisements, %d faults in random order (seed %d),"
                  + " each undone after 0.3 to 3 s; figures from a capture on the bridge and a"
                  + " 20 ms watch of every node's addresses; then, on a fresh segment, a crash"
                  + " loop on the master for a minute (kill -9 every 2 to 5 s, restarted at once)."
                  + " `benchmarks/run FaultBenchmark`.",
              interval.toMillis(), events, seed);
      String md = FaultReport.markdown(results, setup);
      System.out.println(FaultReport.events(results));
      System.out.println(md);
      FaultReport.write(Path.of("..", "benchmarks", "results", "faults.md"), md);
      FaultRules.check(results, interval, run.addresses());
    }
  }
}
