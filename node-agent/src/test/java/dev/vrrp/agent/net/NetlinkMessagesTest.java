package dev.vrrp.agent.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rtnetlink encoding, byte by byte against linux/if_addr.h, and a dump read back. */
class NetlinkMessagesTest {
  private static ByteBuffer le(byte[] m) {
    return ByteBuffer.wrap(m).order(ByteOrder.nativeOrder());
  }

  @Test
  void anAddedAddressCarriesTheAgentsMarkAndIpv6IsDeprecated() throws Exception {
    byte[] m =
        NetlinkMessages.addAddress(
            7,
            3,
            InetAddress.getByName("2001:db8::100"),
            64,
            112,
            true,
            false,
            NetlinkMessages.FOREVER);
    ByteBuffer b = le(m);
    assertThat(b.getInt(0)).isEqualTo(m.length);
    assertThat(b.getShort(4)).isEqualTo(NetlinkMessages.RTM_NEWADDR);
    assertThat(b.getInt(8)).as("sequence").isEqualTo(7);
    assertThat(m[16]).as("AF_INET6").isEqualTo((byte) 10);
    assertThat(m[17]).as("prefix").isEqualTo((byte) 64);
    assertThat(m[18] & NetlinkMessages.IFA_F_NODAD).isNotZero();
    assertThat(b.getInt(20)).as("ifindex").isEqualTo(3);
    List<int[]> attributes = attributes(m, 24);
    assertThat(attributes)
        .extracting(a -> a[0])
        .containsExactly(
            (int) NetlinkMessages.IFA_LOCAL,
            (int) NetlinkMessages.IFA_ADDRESS,
            (int) NetlinkMessages.IFA_FLAGS,
            (int) NetlinkMessages.IFA_PROTO,
            (int) NetlinkMessages.IFA_CACHEINFO);
    int proto = attributes.get(3)[1];
    assertThat(m[proto]).as("IFA_PROTO value").isEqualTo((byte) 112);
    int cache = attributes.get(4)[1];
    assertThat(b.getInt(cache)).as("preferred lifetime").isZero();
    assertThat(b.getInt(cache + 4))
        .as("valid lifetime")
        .isEqualTo(NetlinkMessages.INFINITY_LIFE_TIME);
  }

  @Test
  void anIpv4VipOutsideTheInterfacesSubnetsHasNoPrefixRouteOfItsOwn() throws Exception {
    byte[] m =
        NetlinkMessages.addAddress(
            1,
            2,
            InetAddress.getByName("198.51.100.10"),
            24,
            112,
            false,
            true,
            NetlinkMessages.FOREVER);
    List<int[]> attributes = attributes(m, 24);
    int flags =
        attributes.stream()
            .filter(a -> a[0] == NetlinkMessages.IFA_FLAGS)
            .findFirst()
            .orElseThrow()[1];
    assertThat(le(m).getInt(flags) & NetlinkMessages.IFA_F_NOPREFIXROUTE).isNotZero();
  }

  @Test
  void aLeasedAddressHasAFiniteLifetimeTheKernelEndsByItself() throws Exception {
    byte[] m =
        NetlinkMessages.addAddress(
            1, 2, InetAddress.getByName("192.0.2.100"), 24, 112, false, false, 3);
    int cache =
        attributes(m, 24).stream()
            .filter(a -> a[0] == NetlinkMessages.IFA_CACHEINFO)
            .findFirst()
            .orElseThrow()[1];
    assertThat(le(m).getInt(cache)).as("preferred lifetime").isEqualTo(3);
    assertThat(le(m).getInt(cache + 4)).as("valid lifetime").isEqualTo(3);
  }

  @Test
  void aDumpIsReadUntilDoneWithMarksAndFlags() throws Exception {
    byte[] first =
        NetlinkMessages.addAddress(
            1,
            2,
            InetAddress.getByName("192.0.2.11"),
            24,
            0,
            false,
            false,
            NetlinkMessages.FOREVER);
    byte[] second =
        NetlinkMessages.addAddress(
            1,
            2,
            InetAddress.getByName("192.0.2.100"),
            24,
            112,
            false,
            false,
            NetlinkMessages.FOREVER);
    ByteBuffer dump =
        ByteBuffer.allocate(first.length + second.length + 20).order(ByteOrder.nativeOrder());
    dump.put(first)
        .put(second)
        .putInt(20)
        .putShort(NetlinkMessages.NLMSG_DONE)
        .putShort((short) 2)
        .putInt(1)
        .putInt(0)
        .putInt(0);
    List<NetlinkMessages.Dumped> into = new ArrayList<>();

    assertThat(NetlinkMessages.parseAddressDump(dump.array(), dump.position(), into))
        .as("done")
        .isTrue();
    assertThat(into)
        .containsExactly(
            new NetlinkMessages.Dumped(2, InetAddress.getByName("192.0.2.11"), 24, 0, 0),
            new NetlinkMessages.Dumped(2, InetAddress.getByName("192.0.2.100"), 24, 0, 112));
  }

  @Test
  void aTruncatedDumpIsAnErrorNotAGuess() throws Exception {
    byte[] one =
        NetlinkMessages.addAddress(
            1,
            2,
            InetAddress.getByName("192.0.2.11"),
            24,
            0,
            false,
            false,
            NetlinkMessages.FOREVER);
    assertThatThrownBy(
            () -> NetlinkMessages.parseAddressDump(one, one.length - 8, new ArrayList<>()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("truncated");
  }

  /** (type, offset of the data) of each attribute after {@code from}. */
  private static List<int[]> attributes(byte[] m, int from) {
    ByteBuffer b = le(m);
    List<int[]> out = new ArrayList<>();
    for (int at = from; at + 4 <= m.length; ) {
      int length = b.getShort(at) & 0xffff;
      out.add(new int[] {b.getShort(at + 2) & 0xffff, at + 4});
      at += NetlinkMessages.align(length);
    }
    return out;
  }
}
