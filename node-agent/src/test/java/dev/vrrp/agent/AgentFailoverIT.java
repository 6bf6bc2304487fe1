package dev.vrrp.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vrrp.agent.lab.Agents;
import dev.vrrp.lab.LogsOnFailure;
import dev.vrrp.lab.Netns;
import dev.vrrp.lab.Segment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three agents and a client on one bridge, all in network namespaces: election by priority, crash
 * failover, graceful handover, preemption back, link loss, IPv6. Real kernel, real packets.
 */
@ExtendWith(LogsOnFailure.class)
@Tag("integration")
class AgentFailoverIT {
  private static final String VIP = "192.0.2.100";
  private static final Duration FAST = Duration.ofSeconds(5);

  @TempDir Path dir;

  @Test
  void electsByPriorityFailsOverOnCrashAndPreemptsBack() throws Exception {
    try (Segment lan = new Segment("vf")) {
      Map<String, Integer> priorities = Map.of("a", 200, "b", 150, "c", 100);
      lan.host("client", "192.0.2.50/24");
      for (String node : List.of("a", "b", "c")) {
        lan.host(node, "192.0.2." + (10 + node.charAt(0) - 'a' + 1) + "/24");
      }
      Process a = start(lan, "a", priorities.get("a"));
      start(lan, "b", priorities.get("b"));
      start(lan, "c", priorities.get("c"));

      await().atMost(Duration.ofSeconds(20)).until(() -> holders(lan).equals(List.of("a")));
      assertThat(Netns.tryIn(lan.ns("client"), "ping", "-c1", "-W1", VIP).exit())
          .as("client reaches the VIP")
          .isZero();

      a.destroyForcibly(); // kill -9: no priority 0, backups wait Master_Down_Interval
      await().atMost(FAST).until(() -> lan.holds("b", VIP));
      assertThat(lan.holds("c", VIP)).isFalse();
      // The dead agent could not clean up; its node dies too: the client must now reach b. Until
      // the
      // link went down, a's kernel still answered ARP for its stale copy and may have won the
      // client's
      // cache back; b's second announcement burst (announce.delay, 5 s after its takeover) fixes
      // it.
      lan.link("a", false);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Netns.tryIn(lan.ns("client"), "ping", "-c1", "-W1", VIP).exit() == 0);

      // The node comes back: the new agent clears the stale address, then preempts with priority
      // 200.
      lan.link("a", true);
      start(lan, "a", priorities.get("a"));
      await().atMost(Duration.ofSeconds(20)).until(() -> holders(lan).equals(List.of("a")));
    }
  }

  @Test
  void gracefulStopHandsOverAndLinkLossFailsOver() throws Exception {
    try (Segment lan = new Segment("vg")) {
      lan.host("a", "192.0.2.11/24");
      lan.host("b", "192.0.2.12/24");
      Process a = start(lan, "a", 200);
      start(lan, "b", 100);
      await().atMost(Duration.ofSeconds(20)).until(() -> holders(lan).equals(List.of("a")));

      a.destroy(); // SIGTERM: priority 0, addresses released
      await().atMost(FAST).until(() -> holders(lan).equals(List.of("b")));
      a.waitFor();
      assertThat(lan.holds("a", VIP)).as("the resigned master released the VIP").isFalse();
      assertThat(Files.readString(dir.resolve("a.log"))).contains("MASTER -> INITIALIZE");

      start(lan, "a", 200);
      await().atMost(Duration.ofSeconds(20)).until(() -> holders(lan).equals(List.of("a")));
      lan.link("a", false); // a is cut off: b takes over; a sees its link down and goes FAULT
      await().atMost(FAST).until(() -> holders(lan).equals(List.of("b")));
      lan.link("a", true); // the link is back: one master again (a has the higher priority)
      await().atMost(FAST).until(() -> holders(lan).equals(List.of("a")));
    }
  }

  @Test
  void ipv6AddressMovesWithUnsolicitedNeighborAdvertisements() throws Exception {
    try (Segment lan = new Segment("v6")) {
      lan.host("a", "2001:db8::11/64");
      lan.host("b", "2001:db8::12/64");
      lan.host("client", "2001:db8::50/64");
      String yaml = "2001:db8::100/64";
      Process a = Agents.start(lan, "a", Agents.config("VI_6", 61, 200, 3, "100ms", yaml, ""), dir);
      Agents.start(lan, "b", Agents.config("VI_6", 61, 100, 3, "100ms", yaml, ""), dir);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> lan.holds("a", "2001:db8::100") && !lan.holds("b", "2001:db8::100"));
      assertThat(Netns.tryIn(lan.ns("client"), "ping", "-6", "-c1", "-W1", "2001:db8::100").exit())
          .isZero();
      a.destroyForcibly();
      await().atMost(FAST).until(() -> lan.holds("b", "2001:db8::100"));
      await()
          .atMost(FAST)
          .until(
              () ->
                  Netns.tryIn(lan.ns("client"), "ping", "-6", "-c1", "-W1", "2001:db8::100").exit()
                      == 0);
    }
  }

  /**
   * A crashed master leaves its address behind, marked as the agent's. The next agent on the node
   * serves another configuration: it removes that leftover (and only it: an address someone else
   * put on the interface stays, even one a VirtualIP names).
   */
  @Test
  void aRestartedAgentRemovesItsPredecessorsLeftoversAndNothingElse() throws Exception {
    try (Segment lan = new Segment("vr")) {
      lan.host("a", "192.0.2.11/24");
      Process first = start(lan, "a", 200);
      await().atMost(Duration.ofSeconds(20)).until(() -> lan.holds("a", VIP));
      first.destroyForcibly().waitFor(); // kill -9: VIP stays behind
      assertThat(lan.holds("a", VIP)).isTrue();
      Netns.in(
          lan.ns("a"), "ip", "address", "add", "192.0.2.77/24", "dev", "eth0"); // not the agent's

      Process second =
          Agents.start(
              lan, "a", Agents.config("VI_2", 52, 200, 3, "100ms", "192.0.2.200/24", ""), dir);
      await().atMost(Duration.ofSeconds(20)).until(() -> lan.holds("a", "192.0.2.200"));
      await().atMost(FAST).until(() -> !lan.holds("a", VIP));
      assertThat(lan.holds("a", "192.0.2.77")).isTrue();
      assertThat(lan.holds("a", "192.0.2.11")).isTrue();
      second.destroy();
      second.waitFor();
      assertThat(lan.holds("a", "192.0.2.200")).as("released on SIGTERM").isFalse();
      assertThat(lan.holds("a", "192.0.2.77")).isTrue();
    }
  }

  private Process start(Segment lan, String node, int priority) throws Exception {
    return Agents.start(
        lan, node, Agents.config("VI_1", 51, priority, 3, "100ms", VIP + "/24", ""), dir);
  }

  private static List<String> holders(Segment lan) {
    return Stream.of("a", "b", "c").filter(n -> lan.ns(n) != null && lan.holds(n, VIP)).toList();
  }
}
