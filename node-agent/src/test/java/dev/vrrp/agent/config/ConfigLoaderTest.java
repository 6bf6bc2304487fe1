package dev.vrrp.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.vrrp.agent.config.CheckSettings.CheckType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  @Test
  void readsTheDocumentedExample() throws Exception {
    AgentConfig config =
        ConfigLoader.parse(
            """
        adminAddress: 127.0.0.1:9477
        instances:
          - name: VI_1
            interface: eth0
            virtualRouterId: 51
            priority: 100
            version: 2
            advertisementInterval: 1s
            preempt: true
            preemptDelay: 0s
            addresses: [192.0.2.100/24, 192.0.2.101]
            authentication: {type: PASS, password: "1111"}
            unicastPeers: []
            track:
              - {type: exec, command: "pidof nginx", interval: 2s, fall: 2, rise: 3, weight: -20}
              - {type: gateway}
        """);
    InstanceSettings s = config.instances().get(0);
    assertThat(s.name()).isEqualTo("VI_1");
    assertThat(s.advertisementInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.addresses())
        .extracting(Object::toString)
        .containsExactly("192.0.2.100/24", "192.0.2.101");
    assertThat(s.password()).isEqualTo("1111");
    assertThat(s.track())
        .extracting(CheckSettings::type)
        .containsExactly(CheckType.EXEC, CheckType.GATEWAY);
    assertThat(s.track().get(0).command()).containsExactly("/bin/sh", "-c", "pidof nginx");
    assertThat(s.track().get(0).weight()).isEqualTo(-20);
    assertThat(s.track().get(1).interfaceName()).isEqualTo("eth0");
    assertThat(config.adminAddress().getPort()).isEqualTo(9477);
  }

  @Test
  void fileAndProcessChecksAnywhereOnTheHost() throws Exception {
    InstanceSettings s =
        ConfigLoader.parse(
                """
                instances:
                  - name: VI_1
                    interface: eth0
                    virtualRouterId: 51
                    priority: 100
                    addresses: [192.0.2.100/24]
                    track:
                      - {type: file, path: /etc/keepalived/maintenance, weight: -10}
                      - {type: process, process: haproxy}
                      - {type: process, process: [/usr/sbin/nginx, -g, "daemon off;"]}
                """)
            .instances()
            .get(0);
    assertThat(s.track())
        .extracting(CheckSettings::type, CheckSettings::path, CheckSettings::process)
        .containsExactly(
            tuple(CheckType.FILE, "/etc/keepalived/maintenance", List.of()),
            tuple(CheckType.PROCESS, null, List.of("haproxy")),
            tuple(CheckType.PROCESS, null, List.of("/usr/sbin/nginx", "-g", "daemon off;")));
  }

  @Test
  void defaultsAreKeepalivedLike() throws Exception {
    InstanceSettings s =
        ConfigLoader.parse(
                """
        instances:
          - {name: a, interface: eth0, virtualRouterId: 1, addresses: ["2001:db8::1"]}
        """)
            .instances()
            .get(0);
    assertThat(s.version()).isEqualTo(3);
    assertThat(s.priority()).isEqualTo(100);
    assertThat(s.preempt()).isTrue();
    assertThat(s.announce()).isEqualTo(AnnounceSettings.DEFAULT);
    assertThat(s.addresses().get(0).prefixLength())
        .as("resolved from the interface at run time")
        .isNull();
  }

  @Test
  void everyProblemIsReportedOnceWithItsField() {
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    """
        instances:
          - name: VI_1
            interface: eth0
            virtualRouterId: 300
            priority: 0
            version: 3
            advertisementInterval: 5ms
            addresses: [192.0.2.100/33, not-an-ip, 192.0.2.7, 192.0.2.7]
            authentication: {type: PASS, password: "123456789"}
            colour: blue
            track:
              - {type: ping}
              - {type: exec}
              - {type: http, url: "ftp://x"}
        """))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "instances[0].colour: unknown field",
                        "instances[0].virtualRouterId: must be 1-255, got 300",
                        "instances[0].priority: must be 1-255, got 0",
                        "instances[0].advertisementInterval: VRRPv3 needs 10ms-40950ms in steps of 10ms, got 5ms",
                        "instances[0].addresses: prefix length must be 0-32 for IPv4 and 0-128 for IPv6: 192.0.2.100/33",
                        "instances[0].addresses: not an IP address: not-an-ip (write e.g. 192.0.2.10, 192.0.2.10/24 or "
                            + "2001:db8::10/64)",
                        "instances[0].addresses[3]: Duplicate value: \"192.0.2.7\" (also instances[0].addresses[2])",
                        "instances[0].authentication: authentication exists in VRRPv2 only (RFC 5798 removed it); set "
                            + "version: 2 or remove it",
                        "instances[0].track[0].type: must be exec, http, tcp, interface, gateway, file or process, got 'ping'",
                        "instances[0].track[1].command: exec checks need a command",
                        "instances[0].track[2].url: must be an http:// or https:// URL, got 'ftp://x'"));
  }

  @Test
  void v2RulesAndDuplicateVrids() {
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    """
        instances:
          - {name: a, interface: eth0, virtualRouterId: 7, version: 2, advertisementInterval: 500ms,
             addresses: [192.0.2.1], authentication: {type: PASS, password: "123456789"}}
          - {name: a, interface: eth0, virtualRouterId: 7, addresses: [192.0.2.2]}
        """))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "instances[0].advertisementInterval: VRRPv2 needs whole seconds 1s-255s, got 500ms",
                        "instances[0].authentication.password: must be 1-8 characters, got 9",
                        "instances[1].name: duplicate name 'a'",
                        "instances[1].virtualRouterId: VRID 7 is already used on eth0 for this address family"));
  }

  @Test
  void notYamlOrEmpty() {
    assertThatThrownBy(() -> ConfigLoader.parse("instances: ["))
        .hasMessageStartingWith("config: not valid YAML");
    assertThatThrownBy(() -> ConfigLoader.parse("adminAddress: 1.2.3.4:80"))
        .hasMessage("instances: must list at least one instance");
  }
}
