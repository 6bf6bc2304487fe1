package dev.vrrp.agent.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.engine.VrrpState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {
  @Test
  void aReCreatedInstanceReportsItsOwnStateNotTheClosedOnes() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AgentMetrics first = new AgentMetrics(registry, "web");
    first.transition(VrrpState.MASTER);
    first.close();
    AgentMetrics second = new AgentMetrics(registry, "web");
    second.transition(VrrpState.BACKUP);
    assertThat(registry.get("vrrp_state").tag("instance", "web").gauge().value())
        .isEqualTo(VrrpState.BACKUP.ordinal());
    assertThat(
            registry.find("vrrp_transitions").tag("instance", "web").tag("to", "MASTER").counters())
        .isEmpty();
  }

  @Test
  void closingOneInstanceLeavesTheOthers() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new AgentMetrics(registry, "web").close();
    AgentMetrics other = new AgentMetrics(registry, "api");
    other.sent.increment();
    assertThat(registry.find("vrrp_advertisements_sent").tag("instance", "api").counter())
        .isNotNull();
    assertThat(registry.find("vrrp_advertisements_sent").tag("instance", "web").counter()).isNull();
  }
}
