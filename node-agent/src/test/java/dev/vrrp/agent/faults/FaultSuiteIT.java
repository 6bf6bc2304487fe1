package dev.vrrp.agent.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite's short run, in every test run: a couple of dozen faults in random order (the
 * seed is printed), then the safety rules checked on what the wire and the kernels showed. The long
 * run with figures is {@link FaultBenchmark}.
 */
@Tag("integration")
class FaultSuiteIT {
  @TempDir Path dir;

  @Test
  void noFaultLeavesTwoMastersOrAStrayAddress() throws Exception {
    Duration interval = Duration.ofMillis(300);
    long seed = Long.getLong("faults.seed", System.currentTimeMillis());
    int events = Integer.getInteger("faults.events", 24);
    try (FaultRun run = new FaultRun(dir, interval, seed)) {
      List<FaultRun.Result> results = run.run(events, List.of(Fault.values()));
      System.out.println("fault suite, seed " + seed + "\n" + FaultReport.events(results));
      System.out.println(FaultReport.markdown(results, "seed " + seed));
      FaultRules.check(results, interval, run.addresses());
    }
  }
}
