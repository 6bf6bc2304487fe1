package dev.vrrp.agent.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.packet.IpFamily;
import org.junit.jupiter.api.Test;

/**
 * Frames reach the loop of their own family only: an IPv6 loop once counted every IPv4
 * advertisement on its interface as a drop of an unknown VRID.
 */
class EthernetFrameTest {
  private static final MacAddress A = new MacAddress(new byte[] {2, 0, 0, 0, 0, 1});
  private static final MacAddress B = new MacAddress(new byte[] {2, 0, 0, 0, 0, 2});

  @Test
  void tellsTheFamilyOfTheCarriedPacket() {
    assertThat(
            EthernetFrame.family(
                EthernetFrame.wrap(A, B, EthernetFrame.ETHERTYPE_IPV4, new byte[20])))
        .isEqualTo(IpFamily.IPV4);
    assertThat(
            EthernetFrame.family(
                EthernetFrame.wrap(A, B, EthernetFrame.ETHERTYPE_IPV6, new byte[40])))
        .isEqualTo(IpFamily.IPV6);
  }

  @Test
  void looksPastOneVlanTag() {
    byte[] tagged = new byte[14 + 4 + 40];
    tagged[12] = (byte) 0x81;
    tagged[16] = (byte) 0x86;
    tagged[17] = (byte) 0xdd;
    assertThat(EthernetFrame.family(tagged)).isEqualTo(IpFamily.IPV6);
    assertThat(EthernetFrame.ipPayload(tagged)).hasSize(40);
  }

  @Test
  void aFrameWithoutIpHasNoFamily() {
    assertThat(
            EthernetFrame.family(
                EthernetFrame.wrap(A, B, EthernetFrame.ETHERTYPE_ARP, new byte[28])))
        .isNull();
    assertThat(EthernetFrame.family(new byte[5])).isNull();
    assertThat(EthernetFrame.ipPayload(new byte[5])).isNull();
  }
}
