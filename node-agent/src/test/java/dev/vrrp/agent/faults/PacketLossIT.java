package dev.vrrp.agent.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.lab.LogsOnFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packet-loss comparison's short run: 15 s each at 10, 30 and 50 % loss. Spurious takeovers are
 * the protocol's answer to lost advertisements, and are printed, not judged here (the long run,
 * {@link PacketLossBenchmark}, gives the rates); what is judged is that both pairs come back to
 * their master alone once the loss ends.
 */
@ExtendWith(LogsOnFailure.class)
@Tag("integration")
class PacketLossIT {
  @TempDir Path dir;

  @Test
  void afterLossBothPairsComeBackToTheirMasterAlone() throws Exception {
    try (LossRun run = new LossRun(dir)) {
      List<LossRun.Result> results = run.run(List.of(10, 30, 50), Duration.ofSeconds(15));
      System.out.println(LossRun.markdown(results, "short run"));
      assertThat(run.settledOnMasters()).isTrue();
      assertThat(results)
          .as("at 50 %% loss a backup misses three advertisements in a row many times")
          .last()
          .satisfies(r -> assertThat(r.agentTakeovers() + r.keepalivedTakeovers()).isPositive());
    }
  }
}
