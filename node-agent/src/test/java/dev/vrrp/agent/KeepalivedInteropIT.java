package dev.vrrp.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vrrp.agent.lab.Agents;
import dev.vrrp.agent.lab.Capture;
import dev.vrrp.agent.lab.Keepalived;
import dev.vrrp.lab.ExternalTools;
import dev.vrrp.lab.LogsOnFailure;
import dev.vrrp.lab.Segment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real keepalived and our agent on one segment, both ways round: whoever has the higher
 * priority holds the VIP; when it stops, the other takes over; when it returns, it preempts back.
 */
@ExtendWith(LogsOnFailure.class)
@Tag("integration")
class KeepalivedInteropIT {
  private static final Duration ELECTION = Duration.ofSeconds(20);
  private static final Duration FAILOVER = Duration.ofSeconds(8);

  @TempDir Path dir;

  @ParameterizedTest(name = "v{0} {1} keepalived master={2}")
  @CsvSource({
    "3, 192.0.2.100, true, ''",
    "3, 192.0.2.100, false, ''",
    "2, 192.0.2.100, true, PASS",
    "2, 192.0.2.100, false, PASS",
    "3, 2001:db8::100, true, ''",
    "3, 2001:db8::100, false, ''",
  })
  void interoperates(int version, String vip, boolean keepalivedIsMaster, String auth)
      throws Exception {
    boolean v6 = vip.contains(":");
    try (Segment lan = new Segment("ki")) {
      lan.host("k", v6 ? "2001:db8::11/64" : "192.0.2.11/24");
      lan.host("g", v6 ? "2001:db8::12/64" : "192.0.2.12/24");
      int keepalivedPriority = keepalivedIsMaster ? 200 : 100;
      int agentPriority = keepalivedIsMaster ? 100 : 200;
      String prefix = v6 ? "/64" : "/24";
      String kAuth =
          auth.isEmpty() ? "" : "authentication {\n    auth_type PASS\n    auth_pass 1111\n  }";
      String aAuth = auth.isEmpty() ? "" : "authentication: {type: PASS, password: \"1111\"}";
      String kConf = Keepalived.conf(version, 71, keepalivedPriority, "1", vip + prefix, kAuth);
      String aConf = Agents.config("VI_1", 71, agentPriority, version, "1s", vip + prefix, aAuth);

      Capture capture = Capture.start(lan, "k", "ip proto 112 or ip6 proto 112", dir);
      Process keepalived = Keepalived.start(lan, "k", kConf, dir);
      Process agent = Agents.start(lan, "g", aConf, dir);
      String master = keepalivedIsMaster ? "k" : "g";
      String backup = keepalivedIsMaster ? "g" : "k";
      await().atMost(ELECTION).until(() -> lan.holds(master, vip) && !lan.holds(backup, vip));
      // A few advertisements later still only one holder: each accepts the other's packets.
      Thread.sleep(3000);
      await()
          .atMost(Duration.ofSeconds(1))
          .until(() -> lan.holds(master, vip) && !lan.holds(backup, vip));

      Process masterProcess = keepalivedIsMaster ? keepalived : agent;
      masterProcess.destroy(); // graceful: priority 0, the backup takes over after Skew_Time
      await().atMost(FAILOVER).until(() -> lan.holds(backup, vip) && !lan.holds(master, vip));
      masterProcess.waitFor();

      if (keepalivedIsMaster) {
        Keepalived.start(lan, "k", kConf, dir);
      } else {
        Agents.start(lan, "g", aConf, dir);
      }
      await().atMost(ELECTION).until(() -> lan.holds(master, vip) && !lan.holds(backup, vip));

      Path pcap = capture.stop();
      String agentSource = v6 ? "fe80::" : "192.0.2.12";
      List<String> ours =
          tshark(pcap, version).stream().filter(row -> row.startsWith(agentSource)).toList();
      assertThat(ours).as("the agent's packets on the wire").hasSizeGreaterThan(3);
      assertThat(ours)
          .as("Wireshark: every packet we sent has a Good checksum (1)")
          .allSatisfy(row -> assertThat(row).endsWith("," + version + ",1"));
    }
  }

  /**
   * source,version,checksum status of every VRRP packet; IPv6 rows keep only the link-local prefix.
   */
  private static List<String> tshark(Path pcap, int version) throws Exception {
    Process p =
        new ProcessBuilder(
                ExternalTools.require("tshark"),
                "-r",
                pcap.toString(),
                "-T",
                "fields",
                "-E",
                "separator=,",
                "-e",
                "ip.src",
                "-e",
                "ipv6.src",
                "-e",
                "vrrp.version",
                "-e",
                "vrrp.checksum.status")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out.lines()
        .map(
            line -> {
              String[] f = line.split(",", -1);
              String source =
                  f[0].isEmpty()
                      ? (f[1].startsWith("fe80::") ? "fe80::" + f[1].substring(6) : f[1])
                      : f[0];
              return source + "," + f[2] + "," + f[3];
            })
        .toList();
  }
}
