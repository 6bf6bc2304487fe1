package dev.vrrp.agent.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.agent.config.ConfigLoader;
import dev.vrrp.agent.config.InstanceSettings;
import dev.vrrp.agent.keepalived.Importer.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeepalivedConverterTest {
  private static ImportResult run(Target target, String conf) {
    return Importer.run(
        Path.of("/k/keepalived.conf"),
        target,
        "vrrp-system",
        new MemorySources().file("/k/keepalived.conf", conf));
  }

  private static InstanceSettings standalone(String conf) throws Exception {
    ImportResult result = run(Target.STANDALONE, conf);
    return ConfigLoader.parse(result.stdout()).instances().get(0);
  }

  @Test
  void whatOurRulesRefuseIsReportedAtItsKeepalivedLine() {
    String conf =
        """
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 300
            priority 100
            virtual_ipaddress {
                192.0.2.10/24
                192.0.2.300
            }
        }
        """;
    ImportResult standalone = run(Target.STANDALONE, conf);
    assertThat(standalone.exitCode()).isEqualTo(1);
    assertThat(standalone.stderr())
        .containsExactly(
            "keepalived.conf:3: error: virtual_router_id: the agent refuses the result:"
                + " instances[0].virtualRouterId: must be 1-255, got 300",
            "keepalived.conf:5: error: virtual_ipaddress: the agent refuses the result:"
                + " instances[0].addresses: not an IP address: 192.0.2.300 (write e.g. 192.0.2.10,"
                + " 192.0.2.10/24 or 2001:db8::10/64)",
            "keepalived.conf:7: info: 192.0.2.300: no prefix: keepalived adds it as /32, the agent"
                + " with the prefix of the interface subnet that contains it (else /32); write the"
                + " prefix to choose");
    ImportResult vip = run(Target.VIRTUALIP, conf);
    assertThat(vip.exitCode()).isEqualTo(1);
    assertThat(vip.stderr())
        .contains(
            "keepalived.conf:3: error: virtual_router_id: the VirtualIP rules refuse the result:"
                + " spec.virtualRouterId: must be 1-255, got 300");
  }

  @Test
  void keepalivedDefaults() throws Exception {
    InstanceSettings backup =
        standalone(
            "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
                + " virtual_ipaddress {\n 192.0.2.1/24\n }\n}\n");
    assertThat(backup.priority()).isEqualTo(100);
    assertThat(backup.version()).as("keepalived's vrrp_version default").isEqualTo(2);
    assertThat(backup.advertisementInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(backup.preempt()).isTrue();
    InstanceSettings master =
        standalone(
            "vrrp_instance A {\n state MASTER\n interface eth0\n virtual_router_id 1\n"
                + " virtual_ipaddress {\n 192.0.2.1/24\n }\n}\n");
    assertThat(master.priority())
        .as("keepalived: a MASTER without priority owns the address")
        .isEqualTo(255);
  }

  @Test
  void preemptDelayIsDroppedWhereKeepalivedIgnoresIt() throws Exception {
    ImportResult result =
        run(
            Target.STANDALONE,
            "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n nopreempt\n preempt_delay 10\n"
                + " virtual_ipaddress {\n 192.0.2.1/24\n }\n}\n");
    InstanceSettings s = ConfigLoader.parse(result.stdout()).instances().get(0);
    assertThat(s.preempt()).isFalse();
    assertThat(s.preemptDelay()).isEqualTo(Duration.ZERO);
    assertThat(result.stderr())
        .containsExactly(
            "keepalived.conf:5: info: preempt_delay: keepalived ignores preempt_delay with"
                + " nopreempt: not converted");
  }

  @Test
  void advertisementIntervalsAreRoundedAsKeepalivedSendsThem() {
    assertThat(Seconds.advertisementInterval(Duration.ofMillis(1500), 2))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(Seconds.advertisementInterval(Duration.ofMillis(400), 2))
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(Seconds.advertisementInterval(Duration.ofSeconds(300), 2))
        .isEqualTo(Duration.ofSeconds(255));
    assertThat(Seconds.advertisementInterval(Duration.ofMillis(15), 3))
        .isEqualTo(Duration.ofMillis(20));
    assertThat(Seconds.advertisementInterval(Duration.ofMillis(1), 3))
        .isEqualTo(Duration.ofMillis(10));
    assertThat(Seconds.advertisementInterval(Duration.ofSeconds(41), 3))
        .isEqualTo(Duration.ofMillis(40950));
    assertThat(Seconds.parse("0.92")).contains(Duration.ofMillis(920));
    assertThat(Seconds.parse("1s")).isEmpty();
  }

  @Test
  void scriptsRunAsTheArgvKeepalivedRuns() {
    Location at = new Location("k", 1, 1);
    assertThat(ScriptCommand.argv(List.of(new Word("/bin/sh -c 'test -f /x' \"a b\"", true, at))))
        .containsExactly("/bin/sh", "-c", "test -f /x", "a b");
    assertThat(
            ScriptCommand.argv(
                List.of(new Word("/bin/check", false, at), new Word("x", false, at))))
        .containsExactly("/bin/check", "x");
  }

  @Test
  void kubernetesNames() {
    assertThat(VirtualIpWriter.kubernetesName("VI_1")).isEqualTo("vi-1");
    assertThat(VirtualIpWriter.kubernetesName("_web.front_")).isEqualTo("web.front");
    assertThat(VirtualIpWriter.kubernetesName("___")).isEqualTo("keepalived");
  }

  @Test
  void twoInstancesWithOneKubernetesNameAreAnError() {
    String instance =
        " {\n interface eth0\n virtual_router_id %d\n virtual_ipaddress {\n 192.0.2.%d/24\n }\n}\n";
    ImportResult result =
        run(
            Target.VIRTUALIP,
            "vrrp_instance VI_1"
                + instance.formatted(1, 1)
                + "vrrp_instance vi-1"
                + instance.formatted(2, 2));
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr())
        .contains(
            "keepalived.conf:8: error: vrrp_instance: its VirtualIP would be vi-1 like that of VI_1;"
                + " rename one instance");
  }

  @Test
  void aFileWithoutInstancesConvertsNothing() {
    ImportResult result = run(Target.VIRTUALIP, "global_defs {\n router_id a\n}\n");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr())
        .contains("keepalived.conf:1: error: keepalived.conf: no vrrp_instance to convert");
    assertThat(run(Target.STANDALONE, "").stderr())
        .containsExactly(
            "keepalived.conf:1: error: keepalived.conf: the agent refuses the result: instances:"
                + " must list at least one instance");
  }
}
