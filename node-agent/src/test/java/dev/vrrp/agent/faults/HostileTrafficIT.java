package dev.vrrp.agent.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vrrp.agent.lab.Agents;
import dev.vrrp.agent.lab.InNamespace;
import dev.vrrp.agent.net.EthernetFrame;
import dev.vrrp.agent.net.MacAddress;
import dev.vrrp.lab.LogsOnFailure;
import dev.vrrp.lab.Segment;
import dev.vrrp.packet.Advertisement;
import dev.vrrp.packet.AdvertisementCodec;
import dev.vrrp.packet.AuthType;
import dev.vrrp.packet.InternetChecksum;
import dev.vrrp.packet.IpContext;
import dev.vrrp.packet.IpDatagram;
import dev.vrrp.packet.IpFamily;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;

/**
 * A host on the segment sends malformed and hostile VRRP for the pair's VRID (each one priority
 * 255, so a packet that got through would take over), then floods it at 20,000 frames per second.
 * Every packet is counted by its reason on both agents, and nothing changes: the master stays, no
 * transition, no takeover.
 */
@ExtendWith(LogsOnFailure.class)
@Tag("integration")
class HostileTrafficIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VIP = "192.0.2.100";
  private static final int VRID = 51;
  private static final int EACH = 40;

  @TempDir Path dir;

  @Test
  void malformedAndHostilePacketsAreCountedByReasonAndChangeNothing() throws Exception {
    try (Segment lan = new Segment("hx")) {
      String attacker = lan.host("x", "192.0.2.66/24");
      Pair pair = Pair.start(lan, 3, "100ms", "", dir);
      MacAddress mac = MacAddress.parse(lan.mac("x"));
      InetAddress source = InetAddress.getByName("192.0.2.66");

      Map<String, List<byte[]>> cases = new LinkedHashMap<>();
      cases.put("BAD_TTL", List.of(frame(mac, source, 64, m -> m)));
      cases.put("BAD_CHECKSUM", List.of(frame(mac, source, 255, m -> flip(m, 7))));
      cases.put(
          "BAD_LENGTH",
          List.of(frame(mac, source, 255, m -> fixed(source, Arrays.copyOf(m, m.length + 4)))));
      cases.put("TOO_SHORT", List.of(frame(mac, source, 255, m -> Arrays.copyOf(m, 6))));
      cases.put(
          "BAD_VERSION", List.of(frame(mac, source, 255, m -> fixed(source, set(m, 0, 0x41)))));
      cases.put("BAD_TYPE", List.of(frame(mac, source, 255, m -> fixed(source, set(m, 0, 0x32)))));
      cases.put(
          "BAD_INTERVAL",
          List.of(frame(mac, source, 255, m -> fixed(source, set(set(m, 4, 0), 5, 0)))));
      cases.put(
          "BAD_ADDRESS_COUNT",
          List.of(
              frame(mac, source, 255, m -> fixed(source, set(m, 3, 5))), // a lying count
              frame(mac, source, 255, m -> fixed(source, set(m, 3, 0)))));
      // VRID 0 and VRIDs nobody runs: no instance to judge them, counted before decoding
      cases.put(
          "UNKNOWN_VRID",
          List.of(
              frame(mac, source, 255, m -> fixed(source, set(m, 1, 0))),
              frame(mac, source, 255, m -> fixed(source, set(m, 1, 52)))));
      // what the segment caused before (an agent's first frames may arrive before its instance)
      Map<String, Map<String, Long>> baseline = new HashMap<>();
      for (String node : List.of("a", "b")) {
        String metrics = Agents.metrics(lan, node);
        Map<String, Long> counts = new HashMap<>();
        cases.keySet().forEach(r -> counts.put(r, dropped(metrics, r)));
        baseline.put(node, counts);
      }
      for (List<byte[]> frames : cases.values()) {
        send(attacker, frames, EACH, 1000);
      }
      // the flood: 20,000 frames a second for 5 s, bad checksums at priority 255
      long flooded = send(attacker, List.of(cases.get("BAD_CHECKSUM").get(0)), 100_000, 20_000);

      for (String node : List.of("a", "b")) {
        // every frame is counted: by its reason, or as one the kernel dropped in a full buffer
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    dropped(Agents.metrics(lan, node), "BAD_CHECKSUM")
                            - baseline.get(node).get("BAD_CHECKSUM")
                            + captureDrops(Agents.metrics(lan, node))
                        >= EACH + flooded);
        String metrics = Agents.metrics(lan, node);
        System.out.printf(
            "%s: %d of the flood's frames counted as BAD_CHECKSUM, %d dropped by the kernel%n",
            node, dropped(metrics, "BAD_CHECKSUM") - EACH, captureDrops(metrics));
        for (String reason : cases.keySet()) {
          long expected =
              reason.equals("BAD_CHECKSUM") ? EACH + flooded - captureDrops(metrics) : EACH;
          assertThat(dropped(metrics, reason) - baseline.get(node).get(reason))
              .as(node + " " + reason)
              .isEqualTo(expected);
        }
      }

      // random bytes aimed at the VRID: each lands under some reason, none gets through
      Random random = new Random(7);
      List<byte[]> garbage =
          IntStream.range(0, EACH)
              .mapToObj(
                  i -> {
                    byte[] g = new byte[8 + random.nextInt(40)];
                    random.nextBytes(g);
                    g[1] = (byte) VRID;
                    return ip(mac, source, 255, g);
                  })
              .toList();
      Map<String, Long> before =
          Map.of(
              "a",
              dropped(Agents.metrics(lan, "a"), null),
              "b",
              dropped(Agents.metrics(lan, "b"), null));
      send(attacker, garbage, EACH, 1000);
      for (String node : List.of("a", "b")) {
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThat(dropped(Agents.metrics(lan, node), null) - before.get(node))
                        .as(node + ": the garbage")
                        .isEqualTo(EACH));
      }
      pair.assertUnchanged();
      System.out.printf("flood: %d frames in 5 s%n", flooded);
    }
  }

  /**
   * A VRRPv2 pair with a PASS password: priority-255 advertisements from a host on the segment with
   * the wrong password, with none, or with the right one at another interval are each refused by
   * the instance's checks (RFC 3768 7.1), counted by reason, and change nothing.
   */
  @Test
  void v2AdvertisementsWithAWrongPasswordOrIntervalAreRefusedAndChangeNothing() throws Exception {
    try (Segment lan = new Segment("hv")) {
      String attacker = lan.host("x", "192.0.2.66/24");
      Pair pair =
          Pair.start(lan, 2, "1s", "authentication: {type: PASS, password: \"secret\"}", dir);
      MacAddress mac = MacAddress.parse(lan.mac("x"));
      InetAddress source = InetAddress.getByName("192.0.2.66");
      List<InetAddress> vip = List.of(InetAddress.getByName(VIP));

      Map<String, List<byte[]>> cases = new LinkedHashMap<>();
      cases.put(
          "AUTH_MISMATCH",
          List.of(
              v2(mac, source, Advertisement.v2(VRID, 255, 1, vip, "hacked")),
              v2(mac, source, Advertisement.v2(VRID, 255, 1, vip, null))));
      cases.put(
          "INTERVAL_MISMATCH",
          List.of(v2(mac, source, Advertisement.v2(VRID, 255, 3, vip, "secret"))));
      for (List<byte[]> frames : cases.values()) {
        send(attacker, frames, EACH * frames.size(), 1000);
      }

      for (String node : List.of("a", "b")) {
        for (Map.Entry<String, List<byte[]>> c : cases.entrySet()) {
          long expected = (long) EACH * c.getValue().size();
          await()
              .atMost(Duration.ofSeconds(10))
              .untilAsserted(
                  () ->
                      assertThat(discarded(Agents.metrics(lan, node), c.getKey()))
                          .as(node + " " + c.getKey())
                          .isEqualTo(expected));
        }
      }
      pair.assertUnchanged();
    }
  }

  private static byte[] v2(MacAddress mac, InetAddress source, Advertisement advert)
      throws Exception {
    IpContext ip = new IpContext(source, InetAddress.getByName("224.0.0.18"), 255);
    return ip(mac, source, 255, AdvertisementCodec.encode(advert, ip));
  }

  /** How many advertisements the instance refused for {@code reason}. */
  private static long discarded(String metrics, String reason) {
    return byReason(metrics, "vrrp_packets_discarded_total", "instance=\"VI_1\"", reason);
  }

  /** Agents a (priority 200, master) and b (100, backup) on the VRID, and their transitions. */
  private record Pair(Segment lan, long transitionsA, long transitionsB) {
    static Pair start(Segment lan, int version, String interval, String extra, Path dir)
        throws Exception {
      lan.host("a", "192.0.2.11/24");
      lan.host("b", "192.0.2.12/24");
      Agents.start(
          lan, "a", Agents.config("VI_1", VRID, 200, version, interval, VIP + "/24", extra), dir);
      Agents.start(
          lan, "b", Agents.config("VI_1", VRID, 100, version, interval, VIP + "/24", extra), dir);
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(
              () ->
                  "MASTER".equals(Agents.state(lan, "a").path("state").asText())
                      && "BACKUP".equals(Agents.state(lan, "b").path("state").asText()));
      return new Pair(
          lan,
          Agents.state(lan, "a").path("transitions").asLong(),
          Agents.state(lan, "b").path("transitions").asLong());
    }

    /** a is still master with the address, b backup, and neither made a transition. */
    void assertUnchanged() throws Exception {
      assertThat(Agents.state(lan, "a").path("state").asText()).isEqualTo("MASTER");
      assertThat(Agents.state(lan, "b").path("state").asText()).isEqualTo("BACKUP");
      assertThat(Agents.state(lan, "a").path("transitions").asLong()).isEqualTo(transitionsA);
      assertThat(Agents.state(lan, "b").path("transitions").asLong()).isEqualTo(transitionsB);
      assertThat(lan.holds("a", VIP)).isTrue();
      assertThat(lan.holds("b", VIP)).isFalse();
    }
  }

  /** Sends the frames round-robin, {@code count} in all, at {@code perSecond}; returns how many. */
  private static long send(String namespace, List<byte[]> frames, int count, int perSecond)
      throws Exception {
    return InNamespace.call(
        namespace,
        () -> {
          PcapHandle handle =
              new PcapHandle.Builder("eth0")
                  .snaplen(256)
                  .promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
                  .timeoutMillis(10)
                  .build();
          try {
            long start = System.nanoTime();
            long spacing = 1_000_000_000L / perSecond;
            for (int i = 0; i < count; i++) {
              while (System.nanoTime() < start + i * spacing) {
                Thread.onSpinWait();
              }
              handle.sendPacket(frames.get(i % frames.size()));
            }
            return (long) count;
          } finally {
            handle.close();
          }
        });
  }

  /** A priority-255 advertisement for the VRID, mutated, in an IPv4 frame with the given TTL. */
  private static byte[] frame(
      MacAddress mac, InetAddress source, int ttl, UnaryOperator<byte[]> mutate) throws Exception {
    IpContext ip = new IpContext(source, InetAddress.getByName("224.0.0.18"), ttl);
    Advertisement advert =
        new Advertisement(
            3, VRID, 255, 10, List.of(InetAddress.getByName(VIP)), AuthType.NONE, new byte[0]);
    return ip(mac, source, ttl, mutate.apply(AdvertisementCodec.encode(advert, ip)));
  }

  private static byte[] ip(MacAddress mac, InetAddress source, int ttl, byte[] payload) {
    try {
      IpContext ip = new IpContext(source, InetAddress.getByName("224.0.0.18"), ttl);
      byte[] packet = IpDatagram.build(ip, AdvertisementCodec.IP_PROTOCOL_VRRP, payload, 1);
      return EthernetFrame.wrap(
          MacAddress.vrrpMulticast(IpFamily.IPV4), mac, EthernetFrame.ETHERTYPE_IPV4, packet);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] set(byte[] m, int at, int value) {
    byte[] out = m.clone();
    out[at] = (byte) value;
    return out;
  }

  private static byte[] flip(byte[] m, int at) {
    return set(m, at, ~m[at]);
  }

  /** The VRRPv3 checksum made right again (RFC 5798 5.2.8, with the IPv4 pseudo-header). */
  private static byte[] fixed(InetAddress source, byte[] m) {
    byte[] out = m.clone();
    if (out.length < 8) {
      return out;
    }
    out[6] = 0;
    out[7] = 0;
    int sum =
        new InternetChecksum()
            .add(source.getAddress())
            .add(new byte[] {(byte) 224, 0, 0, 18})
            .addShort(AdvertisementCodec.IP_PROTOCOL_VRRP)
            .addShort(out.length)
            .add(out)
            .value();
    out[6] = (byte) (sum >>> 8);
    out[7] = (byte) sum;
    return out;
  }

  /** The drop count for a reason, or the sum over all reasons ({@code reason} null). */
  private static long dropped(String metrics, String reason) {
    return byReason(metrics, "vrrp_packets_dropped_total", "interface=\"eth0\"", reason);
  }

  /** A counter's value for one {@code reason} label, or its sum over all ({@code reason} null). */
  private static long byReason(String metrics, String name, String otherLabel, String reason) {
    Matcher m =
        Pattern.compile(
                "^"
                    + Pattern.quote(name + "{" + otherLabel + ",reason=\"")
                    + "([A-Z_]+)\"} ([0-9.E]+)$",
                Pattern.MULTILINE)
            .matcher(metrics);
    double total = 0;
    while (m.find()) {
      if (reason == null || reason.equals(m.group(1))) {
        total += Double.parseDouble(m.group(2));
      }
    }
    return (long) total;
  }

  private static long captureDrops(String metrics) {
    Matcher m =
        Pattern.compile(
                "^vrrp_capture_dropped_total\\{interface=\"eth0\"} ([0-9.E]+)$", Pattern.MULTILINE)
            .matcher(metrics);
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }
}
