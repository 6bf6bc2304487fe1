package dev.vrrp.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vrrp.agent.lab.Agents;
import dev.vrrp.agent.lab.Capture;
import dev.vrrp.lab.ExternalTools;
import dev.vrrp.lab.LogsOnFailure;
import dev.vrrp.lab.Netns;
import dev.vrrp.lab.Segment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preemption settings, health tracking, the gateway guard, unicast, /state and sniff, each on real
 * namespaces with the real agent jar.
 */
@ExtendWith(LogsOnFailure.class)
@Tag("integration")
class AgentBehaviourIT {
  private static final String VIP = "192.0.2.100";
  private static final Duration SOON = Duration.ofSeconds(5);
  private static final Duration ELECTION = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void nopreemptKeepsTheCurrentMasterAndPreemptDelayWaits() throws Exception {
    try (Segment lan = new Segment("vp")) {
      lan.host("a", "192.0.2.11/24");
      lan.host("b", "192.0.2.12/24");
      lan.host("c", "192.0.2.13/24");
      Agents.start(lan, "b", config("b", 100, ""), dir);
      await().atMost(ELECTION).until(() -> lan.holds("b", VIP));
      // a has the higher priority but preempt: false: b stays master.
      Agents.start(lan, "a", config("a", 200, "preempt: false"), dir);
      Thread.sleep(2000);
      assertThat(lan.holds("b", VIP)).isTrue();
      assertThat(lan.holds("a", VIP)).isFalse();
      // c has priority 250 and a 2 s preempt delay: it waits, then takes over.
      long started = System.nanoTime();
      Agents.start(lan, "c", config("c", 250, "preemptDelay: 2s"), dir);
      await().atMost(ELECTION).until(() -> lan.holds("c", VIP));
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThan(Duration.ofSeconds(2));
      await().atMost(SOON).until(() -> !lan.holds("b", VIP));
    }
  }

  @Test
  void failingTrackedCheckMovesTheVipAndGatewayLossMeansFault() throws Exception {
    try (Segment lan = new Segment("vt")) {
      lan.host("a", "192.0.2.11/24");
      lan.host("b", "192.0.2.12/24");
      lan.host("gw", "192.0.2.254/24");
      Path healthy = dir.resolve("a-healthy");
      Files.writeString(healthy, "ok");
      String track =
          """
          track:
            - {name: app, type: exec, command: "test -e %s", interval: 200ms, fall: 1, rise: 1, weight: -150}
            - {name: gateway, type: gateway, address: 192.0.2.254, interval: 200ms, timeout: 150ms, fall: 2}
          """
              .formatted(healthy);
      Agents.start(lan, "a", config("a", 200, track), dir);
      Agents.start(lan, "b", config("b", 100, ""), dir);
      await().atMost(ELECTION).until(() -> lan.holds("a", VIP) && !lan.holds("b", VIP));

      Files.delete(healthy); // 200 - 150 = 50 < 100: b preempts
      await().atMost(SOON).until(() -> lan.holds("b", VIP) && !lan.holds("a", VIP));
      Files.writeString(healthy, "ok");
      await().atMost(SOON).until(() -> lan.holds("a", VIP) && !lan.holds("b", VIP));

      // a loses its gateway (b still reaches it): FAULT, a resigns at once.
      Netns.in(lan.ns("a"), "ip", "route", "add", "prohibit", "192.0.2.254/32");
      await().atMost(SOON).until(() -> lan.holds("b", VIP) && !lan.holds("a", VIP));
      JsonNode state = Agents.state(lan, "a");
      assertThat(state.path("state").asText()).isEqualTo("FAULT");
      assertThat(state.path("faults").toString()).contains("gateway");
      Netns.in(lan.ns("a"), "ip", "route", "del", "prohibit", "192.0.2.254/32");
      await().atMost(ELECTION).until(() -> lan.holds("a", VIP) && !lan.holds("b", VIP));
    }
  }

  @Test
  void aFileCheckWeighsItsNumberAndAProcessCheckFaultsWhenTheProcessStops() throws Exception {
    try (Segment lan = new Segment("vf")) {
      lan.host("a", "192.0.2.11/24");
      lan.host("b", "192.0.2.12/24");
      Path maintenance = dir.resolve("a-maintenance");
      Files.writeString(maintenance, "0\n");
      // a process of a name nobody else on this machine has
      Path program = dir.resolve("vrrptrk42");
      Files.copy(Path.of("/bin/sleep"), program);
      program.toFile().setExecutable(true);
      Process tracked = new ProcessBuilder(program.toString(), "600").start();
      try {
        String track =
            """
            track:
              - {name: maintenance, type: file, path: %s, interval: 200ms, weight: -60}
              - {name: worker, type: process, process: vrrptrk42, interval: 200ms}
            """
                .formatted(maintenance);
        Agents.start(lan, "a", config("a", 200, track), dir);
        Agents.start(lan, "b", config("b", 100, ""), dir);
        await().atMost(ELECTION).until(() -> lan.holds("a", VIP) && !lan.holds("b", VIP));

        Files.writeString(maintenance, "2\n"); // 200 - 2 x 60 = 80 < 100: b preempts
        await().atMost(SOON).until(() -> lan.holds("b", VIP) && !lan.holds("a", VIP));
        assertThat(Agents.state(lan, "a").path("effectivePriority").asInt()).isEqualTo(80);
        Files.writeString(maintenance, "0\n");
        await().atMost(SOON).until(() -> lan.holds("a", VIP) && !lan.holds("b", VIP));

        tracked.destroy(); // weight 0: the process gone is a FAULT
        tracked.waitFor();
        await().atMost(SOON).until(() -> lan.holds("b", VIP) && !lan.holds("a", VIP));
        JsonNode state = Agents.state(lan, "a");
        assertThat(state.path("state").asText()).isEqualTo("FAULT");
        assertThat(state.path("faults").toString()).contains("worker");
        tracked = new ProcessBuilder(program.toString(), "600").start();
        await().atMost(ELECTION).until(() -> lan.holds("a", VIP) && !lan.holds("b", VIP));
      } finally {
        tracked.destroyForcibly();
      }
    }
  }

  @Test
  void unicastPeersWorkWithoutMulticast() throws Exception {
    try (Segment lan = new Segment("vu")) {
      lan.host("a", "192.0.2.11/24");
      lan.host("b", "192.0.2.12/24");
      Capture capture = Capture.start(lan, "b", "ip proto 112", dir);
      Process a = Agents.start(lan, "a", config("a", 200, "unicastPeers: [192.0.2.12]"), dir);
      Agents.start(lan, "b", config("b", 100, "unicastPeers: [192.0.2.11]"), dir);
      // b knows a as its master only from a's unicast advertisements.
      await()
          .atMost(ELECTION)
          .ignoreExceptions()
          .until(
              () ->
                  lan.holds("a", VIP)
                      && "BACKUP".equals(Agents.state(lan, "b").path("state").asText())
                      && "192.0.2.11".equals(Agents.state(lan, "b").path("master").asText()));
      a.destroy();
      await().atMost(SOON).until(() -> lan.holds("b", VIP));
      a.waitFor();
      Path pcap = capture.stop();
      String fields =
          Netns.run(
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
              "ip.dst",
              "-e",
              "ip.ttl",
              "-e",
              "vrrp.prio",
              "-e",
              "vrrp.checksum.status");
      List<String> fromA = fields.lines().filter(l -> l.startsWith("192.0.2.11,")).toList();
      assertThat(fromA)
          .as("a's advertisements went to b directly; tshark said:\n%s", fields)
          .isNotEmpty()
          .allSatisfy(l -> assertThat(l).startsWith("192.0.2.11,192.0.2.12,255,").endsWith(",1"));
      assertThat(fromA).as("a resigned with priority 0").anyMatch(l -> l.contains(",255,0,"));
    }
  }

  @Test
  void stateReportsTheInstanceAndSniffSeesThePackets() throws Exception {
    try (Segment lan = new Segment("vs")) {
      lan.host("a", "192.0.2.11/24");
      lan.host("b", "192.0.2.12/24");
      Agents.start(lan, "a", config("a", 200, ""), dir);
      await().atMost(ELECTION).until(() -> lan.holds("a", VIP));
      JsonNode state = Agents.state(lan, "a");
      assertThat(state.path("name").asText()).isEqualTo("VI_1");
      assertThat(state.path("state").asText()).isEqualTo("MASTER");
      assertThat(state.path("priority").asInt()).isEqualTo(200);
      assertThat(state.path("effectivePriority").asInt()).isEqualTo(200);
      assertThat(state.path("master").asText()).isEqualTo("192.0.2.11");
      assertThat(state.path("transitions").asLong()).isEqualTo(2);
      assertThat(Agents.metrics(lan, "a"))
          .contains("vrrp_advertisements_sent_total{instance=\"VI_1\"}");

      Path config = dir.resolve("b-sniff.yaml");
      Files.writeString(config, Agents.config("VI_1", 51, 100, 3, "1s", "192.0.2.100/24", ""));
      String out =
          Netns.in(
              lan.ns("b"),
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-jar",
              Agents.jar().toString(),
              "sniff",
              "--interface",
              "eth0",
              "--seconds",
              "3",
              "--config",
              config.toString());
      JsonNode line =
          JSON.readTree(out.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
      assertThat(line.path("source").asText()).isEqualTo("192.0.2.11");
      assertThat(line.path("vrid").asInt()).isEqualTo(51);
      assertThat(line.path("priority").asInt()).isEqualTo(200);
      assertThat(line.path("intervalMs").asInt()).isEqualTo(100);
      assertThat(line.path("checksumValid").asBoolean()).isTrue();
      assertThat(line.path("conflict").asText()).contains("interval 100ms vs local 1000ms");
    }
  }

  @Test
  void announcesWithGratuitousArpBurstsAndTheV2ChecksumStyleInteroperates() throws Exception {
    try (Segment lan = new Segment("va")) {
      lan.host("a", "192.0.2.11/24");
      lan.host("b", "192.0.2.12/24");
      lan.host("client", "192.0.2.50/24");
      Capture arp = Capture.start(lan, "client", "arp or ip proto 112", dir);
      String style = "checksum: v2-strict\nannounce: {repeat: 3, delay: 1s}";
      Agents.start(lan, "a", config("a", 200, style), dir);
      await().atMost(ELECTION).until(() -> lan.holds("a", VIP));
      Thread.sleep(1500); // the second burst
      // b joins as backup: it accepts a's v2-style checksums (a never hears a rival, so no
      // re-announce).
      Agents.start(lan, "b", config("b", 100, style), dir);
      await()
          .atMost(ELECTION)
          .ignoreExceptions()
          .until(() -> "192.0.2.11".equals(Agents.state(lan, "b").path("master").asText()));
      Path pcap = arp.stop();
      String arps =
          Netns.run(
              ExternalTools.require("tshark"),
              "-r",
              pcap.toString(),
              "-Y",
              "arp.isgratuitous == 1 && arp.src.proto_ipv4 == " + VIP,
              "-T",
              "fields",
              "-e",
              "frame.time_relative");
      List<Double> times =
          arps.lines().filter(l -> l.matches("[0-9.]+")).map(Double::parseDouble).toList();
      assertThat(times).as("3 gratuitous ARPs on becoming master, 3 more after 1 s").hasSize(6);
      assertThat(times.get(3) - times.get(2)).isBetween(0.8, 1.6);
      String checksums =
          Netns.run(
              ExternalTools.require("tshark"),
              "-r",
              pcap.toString(),
              "-o",
              "vrrp.v3_checksum_as_in_v2:TRUE",
              "-Y",
              "vrrp",
              "-T",
              "fields",
              "-e",
              "vrrp.checksum.status");
      assertThat(checksums.lines().filter(l -> l.matches("[0-9]")).toList())
          .as("every advertisement carries a v2-style checksum")
          .isNotEmpty()
          .containsOnly("1");
    }
  }

  @Test
  void virtualMacIsTheSourceOfAdvertisementsAndAnnouncements() throws Exception {
    try (Segment lan = new Segment("vm")) {
      lan.host("a", "192.0.2.11/24");
      lan.host("client", "192.0.2.50/24");
      Capture capture = Capture.start(lan, "client", "arp or ip proto 112", dir);
      Agents.start(lan, "a", config("a", 200, "virtualMac: true"), dir);
      await().atMost(ELECTION).until(() -> lan.holds("a", VIP));
      Thread.sleep(500);
      Path pcap = capture.stop();
      String sources =
          Netns.run(
              ExternalTools.require("tshark"),
              "-r",
              pcap.toString(),
              "-T",
              "fields",
              "-e",
              "eth.src",
              "-e",
              "_ws.col.Protocol");
      List<String> rows = sources.lines().filter(l -> l.contains("\t")).toList();
      assertThat(rows.stream().filter(r -> r.endsWith("VRRP")).toList())
          .as("RFC 5798 7.3: 00-00-5E-00-01-{VRID 51}")
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r).startsWith("00:00:5e:00:01:33\t"));
      assertThat(rows.stream().filter(r -> r.endsWith("ARP")).toList())
          .as("gratuitous ARP names the interface's own MAC, which the NIC accepts")
          .isNotEmpty()
          .noneMatch(r -> r.startsWith("00:00:5e:00:01:33"));
    }
  }

  @Test
  void strictChecksumStylesThatDifferDoNotHearEachOtherAndTheProbeKeepsOneHolder()
      throws Exception {
    try (Segment lan = new Segment("vc")) {
      lan.host("a", "192.0.2.11/24");
      lan.host("b", "192.0.2.12/24");
      Agents.start(lan, "a", config("a", 200, "checksum: rfc5798-strict"), dir);
      Agents.start(lan, "b", config("b", 100, "checksum: v2-strict"), dir);
      // They do not hear each other, so both become master; the second to claim finds the address
      // answered for by the first (the first-claim probe) and does not take it: one holder.
      await()
          .atMost(ELECTION)
          .ignoreExceptions() // until both admin servers answer
          .until(
              () ->
                  (lan.holds("a", VIP) != lan.holds("b", VIP))
                      && Agents.state(lan, lan.holds("a", VIP) ? "b" : "a")
                          .path("faultReason")
                          .asText()
                          .equals("AddressInUse"));
      assertThat(lan.holds("a", VIP) && lan.holds("b", VIP)).as("never both").isFalse();
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(Agents.metrics(lan, "a") + Agents.metrics(lan, "b"))
                      .contains(
                          "vrrp_packets_dropped_total{interface=\"eth0\",reason=\"BAD_CHECKSUM\"}"));
    }
  }

  /**
   * The first claim of an address no node held yet asks the segment first (RFC 5227 probe, 300 ms):
   * when another host answers for it, the agent does not take it, says why in /state (FAULT) and
   * keeps the other host's address working; a free address is taken as before.
   */
  @Test
  void aFirstClaimDoesNotTakeAnAddressAnotherHostAnswersFor() throws Exception {
    try (Segment lan = new Segment("vq")) {
      lan.host("a", "192.0.2.11/24");
      lan.host(
          "other", "192.0.2.99/24", "192.0.2.150/24"); // not a VRRP node: .150 is simply its own
      lan.host("client", "192.0.2.50/24");
      Agents.start(
          lan,
          "a",
          Agents.config("VI_1", 51, 200, 3, "100ms", "192.0.2.150/24", "")
              + "  - {name: VI_2, interface: eth0, virtualRouterId: 52, priority: 200,"
              + " advertisementInterval: 100ms, addresses: [192.0.2.151/24]}\n",
          dir);
      await().atMost(ELECTION).until(() -> lan.holds("a", "192.0.2.151"));
      await()
          .atMost(SOON)
          .until(
              () ->
                  Netns.tryIn(lan.ns("a"), "curl", "-s", "http://127.0.0.1:9477/state")
                      .output()
                      .contains("192.0.2.150 is in use on the segment"));
      JsonNode inUse =
          JSON.readTree(Netns.in(lan.ns("a"), "curl", "-s", "http://127.0.0.1:9477/state"))
              .path("instances");
      JsonNode vi1 =
          inUse.get(0).path("name").asText().equals("VI_1") ? inUse.get(0) : inUse.get(1);
      assertThat(vi1.path("state").asText()).isEqualTo("FAULT");
      assertThat(vi1.path("faultReason").asText()).isEqualTo("AddressInUse");
      assertThat(lan.holds("a", "192.0.2.150")).as("never taken").isFalse();
      assertThat(Netns.tryIn(lan.ns("client"), "ping", "-c1", "-W1", "192.0.2.150").exit())
          .isZero();
      String otherMac = Netns.in(lan.ns("other"), "cat", "/sys/class/net/eth0/address").strip();
      assertThat(Netns.in(lan.ns("client"), "ip", "neigh", "show", "192.0.2.150"))
          .as("the client reaches the other host, not the agent's node")
          .contains("lladdr " + otherMac);
    }
  }

  /**
   * The master checks its own data path: an address removed by hand is put back (and counted), and
   * a link that goes down is a FAULT with reason LinkDown until it comes back, so a node cut off
   * from the segment neither claims nor keeps the VIP, and takes it back only by election.
   */
  @Test
  void theMasterRepairsAMissingAddressAndALostLinkIsAFault() throws Exception {
    try (Segment lan = new Segment("vd")) {
      lan.host("a", "192.0.2.11/24");
      Agents.start(lan, "a", config("a", 200, ""), dir);
      await().atMost(ELECTION).until(() -> lan.holds("a", VIP));

      Netns.in(lan.ns("a"), "ip", "address", "del", VIP + "/24", "dev", "eth0");
      await().atMost(SOON).until(() -> lan.holds("a", VIP));
      assertThat(Agents.metrics(lan, "a"))
          .contains("vrrp_data_path_repairs_total{instance=\"VI_1\"} 1.0");

      lan.link("a", false);
      await()
          .atMost(SOON)
          .untilAsserted(
              () -> {
                JsonNode vi1 = Agents.state(lan, "a");
                assertThat(vi1.path("state").asText()).isEqualTo("FAULT");
                assertThat(vi1.path("faultReason").asText()).isEqualTo("LinkDown");
              });
      assertThat(lan.holds("a", VIP)).as("released while the link is down").isFalse();

      lan.link("a", true);
      await().atMost(SOON).until(() -> lan.holds("a", VIP));
      assertThat(Agents.state(lan, "a").path("state").asText()).isEqualTo("MASTER");
    }
  }

  private static String config(String host, int priority, String extra) {
    return Agents.config("VI_1", 51, priority, 3, "100ms", VIP + "/24", extra);
  }
}
