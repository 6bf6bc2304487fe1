package dev.vrrp.agent.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** RFC 5227 probes and RFC 4862 DAD solicitations, and what counts as an answer. */
class ProbeFramesTest {
  private static final MacAddress OURS = MacAddress.parse("02:00:00:00:00:01");
  private static final MacAddress THEIRS = MacAddress.parse("02:00:00:00:00:02");

  @Test
  void anArpProbeSaysNothingAboutUs() throws Exception {
    byte[] frame = ProbeFrames.arpProbe((Inet4Address) InetAddress.getByName("192.0.2.150"), OURS);
    assertThat(EthernetFrame.source(frame)).isEqualTo(OURS);
    assertThat(frame).startsWith(MacAddress.BROADCAST.bytes());
    // sender IP 0.0.0.0 (RFC 5227 2.1.1): no host learns a binding from a probe
    assertThat(Arrays.copyOfRange(frame, 14 + 14, 14 + 18)).containsExactly(0, 0, 0, 0);
    assertThat(Arrays.copyOfRange(frame, 14 + 24, 14 + 28)).containsExactly(192, 0, 2, 150);
  }

  @Test
  void anArpFromAnotherMacWithTheAddressAsSenderIsAnAnswerOursIsNot() throws Exception {
    InetAddress vip = InetAddress.getByName("192.0.2.150");
    byte[] theirGratuitous = Announcements.gratuitousArp((Inet4Address) vip, THEIRS);
    assertThat(ProbeFrames.answer(theirGratuitous, vip, OURS)).contains(THEIRS);
    assertThat(ProbeFrames.answer(Announcements.gratuitousArp((Inet4Address) vip, OURS), vip, OURS))
        .isEmpty();
    assertThat(ProbeFrames.answer(theirGratuitous, InetAddress.getByName("192.0.2.151"), OURS))
        .as("another address")
        .isEmpty();
    assertThat(ProbeFrames.answer(ProbeFrames.arpProbe((Inet4Address) vip, THEIRS), vip, OURS))
        .as("another host probing too (sender IP 0.0.0.0) is not an answer")
        .isEmpty();
  }

  @Test
  void ofTwoHostsProbingAtOnceTheHigherMacGoesOnAndTheOtherGivesUp() throws Exception {
    // RFC 5227 2.1.1: a simultaneous probe is a conflict; if both gave up, a retry would meet again
    InetAddress vip = InetAddress.getByName("192.0.2.150");
    byte[] theirProbe = ProbeFrames.arpProbe((Inet4Address) vip, THEIRS);
    byte[] ourProbe = ProbeFrames.arpProbe((Inet4Address) vip, OURS);
    assertThat(ProbeFrames.winningRival(theirProbe, vip, OURS)).contains(THEIRS);
    assertThat(ProbeFrames.winningRival(ourProbe, vip, THEIRS)).isEmpty();
    assertThat(ProbeFrames.winningRival(theirProbe, InetAddress.getByName("192.0.2.151"), OURS))
        .isEmpty();
    assertThat(
            ProbeFrames.winningRival(
                Announcements.gratuitousArp((Inet4Address) vip, THEIRS), vip, OURS))
        .as("a gratuitous ARP is an answer, not a probe")
        .isEmpty();

    InetAddress vip6 = InetAddress.getByName("2001:db8::150");
    byte[] theirDad = ProbeFrames.neighborSolicitation((Inet6Address) vip6, THEIRS);
    assertThat(ProbeFrames.winningRival(theirDad, vip6, OURS)).contains(THEIRS);
    assertThat(ProbeFrames.winningRival(theirDad, vip6, MacAddress.parse("02:00:00:00:00:03")))
        .isEmpty();
  }

  @Test
  void aNeighborAdvertisementForTheAddressIsAnAnswer() throws Exception {
    InetAddress vip = InetAddress.getByName("2001:db8::150");
    byte[] na =
        Announcements.unsolicitedNeighborAdvertisement(
            (Inet6Address) vip, THEIRS, InetAddress.getByName("fe80::2"));
    assertThat(ProbeFrames.answer(na, vip, OURS)).contains(THEIRS);
    byte[] solicitation = ProbeFrames.neighborSolicitation((Inet6Address) vip, OURS);
    assertThat(ProbeFrames.answer(solicitation, vip, THEIRS))
        .as("a solicitation is a question")
        .isEmpty();
    // to the solicited-node group of the address, from the unspecified address, hop limit 255
    assertThat(Arrays.copyOfRange(solicitation, 0, 6))
        .containsExactly(0x33, 0x33, 0xff, 0x00, 0x01, 0x50);
    assertThat(solicitation[14 + 7] & 0xff).isEqualTo(255);
    assertThat(Arrays.copyOfRange(solicitation, 14 + 8, 14 + 24)).containsOnly(0);
  }
}
