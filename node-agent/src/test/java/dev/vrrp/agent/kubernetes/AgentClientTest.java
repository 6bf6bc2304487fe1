package dev.vrrp.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import org.junit.jupiter.api.Test;

class AgentClientTest {
  @Test
  void keepsWhereAndAsWhomAndUsesHttp11WithShortTimeouts() {
    Config base =
        new ConfigBuilder(Config.empty())
            .withMasterUrl("https://198.18.0.1:6443")
            .withOauthToken("token")
            .withNamespace("vrrp-system")
            .build();
    Config agent = AgentClient.config(base);
    assertThat(agent.getMasterUrl()).startsWith("https://198.18.0.1:6443");
    assertThat(agent.getOauthToken()).isEqualTo("token");
    assertThat(agent.getNamespace()).isEqualTo("vrrp-system");
    assertThat(agent.isHttp2Disable()).isTrue();
    assertThat(agent.getConnectionTimeout()).isEqualTo(3000);
    assertThat(agent.getRequestTimeout()).isEqualTo(5000);
    assertThat(agent.getRequestRetryBackoffLimit()).isEqualTo(1);
    assertThat(agent.getWatchReconnectInterval()).isEqualTo(250);
  }
}
