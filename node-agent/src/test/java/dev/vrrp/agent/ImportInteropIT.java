package dev.vrrp.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vrrp.agent.keepalived.FileSources;
import dev.vrrp.agent.keepalived.ImportResult;
import dev.vrrp.agent.keepalived.Importer;
import dev.vrrp.agent.keepalived.Importer.Target;
import dev.vrrp.agent.lab.Agents;
import dev.vrrp.agent.lab.Keepalived;
import dev.vrrp.lab.LogsOnFailure;
import dev.vrrp.lab.Segment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The tutorial MASTER/BACKUP pair (VRRPv2, PASS): one node runs keepalived with its original file,
 * the other the agent with its peer's file converted by {@code node-agent import}, both ways round.
 * The MASTER file's node holds the address; when it stops, the other takes over.
 */
@ExtendWith(LogsOnFailure.class)
@Tag("integration")
class ImportInteropIT {
  private static final String VIP = "192.0.2.100";
  private static final Duration ELECTION = Duration.ofSeconds(20);
  private static final Duration FAILOVER = Duration.ofSeconds(8);

  @TempDir Path dir;

  @ParameterizedTest(name = "agent runs the converted {0}, keepalived the original {1}")
  @CsvSource({"tutorial-master, tutorial-backup", "tutorial-backup, tutorial-master"})
  void aConvertedFileRunsBesideKeepalivedWithItsPeersFile(String converted, String original)
      throws Exception {
    ImportResult imported =
        Importer.run(conf(converted), Target.STANDALONE, "vrrp-system", new FileSources());
    assertThat(imported.exitCode()).as(String.join("\n", imported.stderr())).isZero();
    try (Segment lan = new Segment("ii")) {
      lan.host("k", "192.0.2.11/24");
      lan.host("g", "192.0.2.12/24");
      Process keepalived = Keepalived.start(lan, "k", Files.readString(conf(original)), dir);
      Process agent = Agents.start(lan, "g", imported.stdout(), dir);
      boolean agentIsMaster = converted.equals("tutorial-master");
      String master = agentIsMaster ? "g" : "k";
      String backup = agentIsMaster ? "k" : "g";

      await().atMost(ELECTION).until(() -> lan.holds(master, VIP) && !lan.holds(backup, VIP));
      // a few advertisements later still one holder: each accepts the other's packets (PASS too)
      Thread.sleep(3000);
      assertThat(lan.holds(master, VIP) && !lan.holds(backup, VIP)).isTrue();

      (agentIsMaster ? agent : keepalived).destroy();
      await().atMost(FAILOVER).until(() -> lan.holds(backup, VIP) && !lan.holds(master, VIP));
    }
  }

  /**
   * A converted vrrp_script runs the argv keepalived would (no shell) with its weight: while the
   * file is missing the agent's MASTER file falls below keepalived's BACKUP, which takes over.
   */
  @Test
  void aConvertedTrackScriptMovesTheAddressToKeepalived() throws Exception {
    Path up = dir.resolve("up");
    Files.writeString(up, "");
    String agentFile =
        """
        global_defs {
            vrrp_version 3
        }
        vrrp_script chk_up {
            script "test -f %s"
            interval 1
            weight -60
        }
        vrrp_instance VI_1 {
            state MASTER
            interface eth0
            virtual_router_id 52
            priority 150
            advert_int 1
            virtual_ipaddress {
                192.0.2.101/24
            }
            track_script {
                chk_up
            }
        }
        """
            .formatted(up);
    String keepalivedFile =
        """
        global_defs {
            vrrp_version 3
        }
        vrrp_instance VI_1 {
            state BACKUP
            interface eth0
            virtual_router_id 52
            priority 100
            advert_int 1
            virtual_ipaddress {
                192.0.2.101/24
            }
        }
        """;
    Path source = dir.resolve("agent-keepalived.conf");
    Files.writeString(source, agentFile);
    ImportResult imported =
        Importer.run(source, Target.STANDALONE, "vrrp-system", new FileSources());
    assertThat(imported.exitCode()).as(String.join("\n", imported.stderr())).isZero();
    String vip = "192.0.2.101";
    try (Segment lan = new Segment("is")) {
      lan.host("k", "192.0.2.11/24");
      lan.host("g", "192.0.2.12/24");
      Keepalived.start(lan, "k", keepalivedFile, dir);
      Agents.start(lan, "g", imported.stdout(), dir);
      await().atMost(ELECTION).until(() -> lan.holds("g", vip) && !lan.holds("k", vip));

      Files.delete(up); // 150 - 60 = 90 < 100: keepalived preempts
      await().atMost(ELECTION).until(() -> lan.holds("k", vip) && !lan.holds("g", vip));

      Files.writeString(up, ""); // 150 again: the agent preempts back
      await().atMost(ELECTION).until(() -> lan.holds("g", vip) && !lan.holds("k", vip));
    }
  }

  private static Path conf(String name) throws Exception {
    return Path.of(
        ImportInteropIT.class.getResource("/keepalived/" + name + "/keepalived.conf").toURI());
  }
}
