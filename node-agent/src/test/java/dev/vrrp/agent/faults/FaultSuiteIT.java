package dev.vrrp.agent.faults;

import dev.vrrp.lab.LogsOnFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite's short run, in every test run: 50 faults in random order (the seed is printed),
 * then the safety rules checked on what the wire and the kernels showed. The long run with figures
 * is {@link FaultBenchmark}.
 */
@ExtendWith(LogsOnFailure.class)
@Tag("integration")
class FaultSuiteIT {
  @TempDir Path dir;

  @Test
  void noFaultLeavesTwoMastersOrAStrayAddress() throws Exception {
    Duration interval = Duration.ofMillis(100);
    long seed = Long.getLong("faults.seed", System.currentTimeMillis());
    int events = Integer.getInteger("faults.events", 50);
    // first, so a run that fails half-way can be repeated with -Dfaults.seed
    System.out.println("fault suite, seed " + seed);
    try (FaultRun run = new FaultRun(dir, interval, seed)) {
      List<FaultRun.Result> results = run.run(events, Fault.mix());
      System.out.println(FaultReport.events(results));
      System.out.println(FaultReport.markdown(results, "seed " + seed));
      FaultRules.check(results, interval, run.addresses());
    }
  }

  @Test
  void aCrashLoopOnTheMasterLeavesOneHolder() throws Exception {
    Duration interval = Duration.ofMillis(100);
    long seed = Long.getLong("faults.seed", System.currentTimeMillis());
    System.out.println("crash loop, seed " + seed);
    try (FaultRun run = new FaultRun(dir, interval, seed).crashLoopFor(Duration.ofSeconds(30))) {
      List<FaultRun.Result> results = run.run(1, List.of(Fault.CRASH_LOOP));
      System.out.println(FaultReport.events(results));
      FaultRules.check(results, interval, run.addresses());
    }
  }
}
