package dev.vrrp.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vrrp.api.text.Durations;
import dev.vrrp.operator.agents.AgentDaemonSet;
import dev.vrrp.operator.plan.VridRange;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line's defaults are the settings' defaults, and those are what they were. */
class OperatorDefaultsTest {
  @Test
  void theCommandLineDefaultsToTheSettingsDefaults() {
    assumeTrue(
        Stream.of(
                "RESYNC_INTERVAL",
                "RELEASE_TIMEOUT",
                "AGENT_GRACE_PERIOD",
                "RECONCILE_WORKERS",
                "VIRTUAL_ROUTER_IDS")
            .allMatch(name -> System.getenv(name) == null),
        "the environment sets an option");
    OperatorMain main = new OperatorMain();
    new CommandLine(main).parseArgs();
    OperatorSettings defaults = OperatorSettings.defaults("ns");

    assertThat(Durations.parse(main.resync)).isEqualTo(defaults.resync());
    assertThat(Durations.parse(main.releaseTimeout)).isEqualTo(defaults.releaseTimeout());
    assertThat(Durations.parse(main.agentGracePeriod))
        .isEqualTo(defaults.agents().terminationGracePeriod());
    assertThat(main.workers).isEqualTo(defaults.workers());
    assertThat(VridRange.parse(main.virtualRouterIds)).isEqualTo(defaults.virtualRouterIds());

    assertThat(defaults.resync()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.releaseTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(defaults.agents().terminationGracePeriod()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.workers()).isEqualTo(16);
    assertThat(defaults.virtualRouterIds()).isEqualTo(VridRange.ALL);
    assertThat(VridRange.ALL).hasToString(VridRange.ALL_TEXT).hasToString("1-255");
    assertThat(defaults.heartbeatWindow()).isEqualTo(defaults.agents().heartbeat().multipliedBy(3));
    assertThat(defaults.agents()).isEqualTo(new AgentDaemonSet.Settings("ns", null, null, null));
    assertThat(defaults.agents().ownerDeployment()).isNull();
    assertThat(defaults.agents().labelNamespace()).isFalse();
  }
}
