package dev.vrrp.agent.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The rtnetlink messages the agent sends and the dumps it reads (RFC 3549, linux/rtnetlink.h,
 * linux/if_addr.h), as bytes in and out: pure, so the encoding is unit-tested without a kernel.
 */
final class NetlinkMessages {
  static final short NLMSG_ERROR = 2;
  static final short NLMSG_DONE = 3;
  static final short RTM_NEWADDR = 20;
  static final short RTM_DELADDR = 21;
  static final short RTM_GETADDR = 22;
  static final short RTM_NEWROUTE = 24;
  static final short RTM_DELROUTE = 25;
  static final short NLM_F_REQUEST = 0x1;
  static final short NLM_F_ACK = 0x4;
  static final short NLM_F_DUMP = 0x300;
  static final short NLM_F_REPLACE = 0x100;
  static final short NLM_F_EXCL = 0x200;
  static final short NLM_F_CREATE = 0x400;

  static final short IFA_ADDRESS = 1;
  static final short IFA_LOCAL = 2;
  static final short IFA_CACHEINFO = 6;
  static final short IFA_FLAGS = 8;

  /** Linux 5.18: who added the address; kept with it until it is deleted. */
  static final short IFA_PROTO = 11;

  static final int IFA_F_SECONDARY = 0x01;
  static final int IFA_F_NODAD = 0x02;
  static final int IFA_F_DEPRECATED = 0x20;
  static final int IFA_F_NOPREFIXROUTE = 0x200;
  static final int INFINITY_LIFE_TIME = 0xFFFFFFFF;

  /** A lifetime in seconds the kernel reads as infinite. */
  static final long FOREVER = 0xFFFFFFFFL;

  private static final short RTA_DST = 1;
  private static final short RTA_OIF = 4;
  private static final short RTA_PREFSRC = 7;
  private static final byte RT_TABLE_MAIN = (byte) 254;
  private static final byte RT_SCOPE_LINK = (byte) 253;
  private static final byte RTN_UNICAST = 1;

  private static final int HEADER = 16;
  private static final int IFADDRMSG = 8;
  private static final int RTMSG = 12;

  private NetlinkMessages() {}

  /**
   * RTM_NEWADDR for a virtual address (or a renewal of one: it replaces an existing one): marked
   * with {@code protocol} (IFA_PROTO); with {@code deprecated} a preferred lifetime of 0 and no DAD
   * (IPv6: never chosen as a source address, RFC 6724 rule 3); with {@code noPrefixRoute} no prefix
   * route, whose source would be the VIP; the kernel deletes it by itself {@code validSeconds}
   * after this message unless renewed ({@link #FOREVER} or more: never).
   */
  static byte[] addAddress(
      int sequence,
      int index,
      InetAddress address,
      int prefixLength,
      int protocol,
      boolean deprecated,
      boolean noPrefixRoute,
      long validSeconds) {
    byte[] raw = address.getAddress();
    boolean v6 = raw.length == 16;
    int flags = (v6 ? IFA_F_NODAD : 0) | (noPrefixRoute ? IFA_F_NOPREFIXROUTE : 0);
    Builder b =
        new Builder(
            RTM_NEWADDR,
            (short) (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE),
            sequence);
    b.ifaddrmsg(v6, prefixLength, flags & 0xff, index);
    b.attribute(IFA_LOCAL, raw);
    b.attribute(IFA_ADDRESS, raw);
    b.attributeInt(IFA_FLAGS, flags);
    b.attribute(IFA_PROTO, new byte[] {(byte) protocol});
    int valid = validSeconds >= FOREVER ? INFINITY_LIFE_TIME : (int) Math.max(1, validSeconds);
    ByteBuffer cache = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
    cache.putInt(deprecated ? 0 : valid).putInt(valid).putInt(0).putInt(0);
    b.attribute(IFA_CACHEINFO, cache.array());
    return b.build();
  }

  static byte[] deleteAddress(int sequence, int index, InetAddress address, int prefixLength) {
    byte[] raw = address.getAddress();
    Builder b = new Builder(RTM_DELADDR, (short) (NLM_F_REQUEST | NLM_F_ACK), sequence);
    b.ifaddrmsg(raw.length == 16, prefixLength, 0, index);
    b.attribute(IFA_LOCAL, raw);
    b.attribute(IFA_ADDRESS, raw);
    return b.build();
  }

  /** RTM_GETADDR dump of every address of every interface, both families. */
  static byte[] dumpAddresses(int sequence) {
    Builder b = new Builder(RTM_GETADDR, (short) (NLM_F_REQUEST | NLM_F_DUMP), sequence);
    b.ifaddrmsgFamily((byte) 0);
    return b.build();
  }

  /**
   * RTM_NEWROUTE / RTM_DELROUTE of a connected subnet ({@code scope link}) with the node's own
   * address as its preferred source, marked with {@code protocol}: what the kernel's prefix route
   * of a VIP in a subnet of its own would be, without the VIP as the source.
   */
  static byte[] subnetRoute(
      boolean add,
      int sequence,
      int index,
      InetAddress network,
      int prefixLength,
      InetAddress source,
      int protocol) {
    byte[] raw = network.getAddress();
    Builder b =
        new Builder(
            add ? RTM_NEWROUTE : RTM_DELROUTE,
            (short) (NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_REPLACE : 0)),
            sequence);
    b.rtmsg(raw.length == 16, prefixLength, (byte) protocol);
    b.attribute(RTA_DST, raw);
    b.attributeInt(RTA_OIF, index);
    if (source != null) {
      b.attribute(RTA_PREFSRC, source.getAddress());
    }
    return b.build();
  }

  /** The errno of an acknowledgement (0 for success), or -1 when the message is not one. */
  static int acknowledgement(byte[] reply, int length) {
    if (length < HEADER + 4) {
      return -1;
    }
    ByteBuffer m = ByteBuffer.wrap(reply, 0, length).order(ByteOrder.nativeOrder());
    return m.getShort(4) == NLMSG_ERROR ? -m.getInt(HEADER) : -1;
  }

  /** One address of a dump. */
  record Dumped(
      int interfaceIndex, InetAddress address, int prefixLength, int flags, int protocol) {}

  /**
   * Parses one receive buffer of an RTM_GETADDR dump into {@code into}; returns true when the dump
   * is complete (NLMSG_DONE), throws on a netlink error.
   */
  static boolean parseAddressDump(byte[] buffer, int length, List<Dumped> into) {
    ByteBuffer m = ByteBuffer.wrap(buffer, 0, length).order(ByteOrder.nativeOrder());
    int at = 0;
    while (at + HEADER <= length) {
      int messageLength = m.getInt(at);
      short type = m.getShort(at + 4);
      if (messageLength < HEADER || at + messageLength > length) {
        throw new IllegalStateException(
            "netlink: truncated message of " + messageLength + " bytes");
      }
      if (type == NLMSG_DONE) {
        return true;
      }
      if (type == NLMSG_ERROR) {
        throw new IllegalStateException("netlink dump failed: errno " + -m.getInt(at + HEADER));
      }
      if (type == RTM_NEWADDR) {
        into.add(address(m, at, messageLength));
      }
      at += align(messageLength);
    }
    return false;
  }

  private static Dumped address(ByteBuffer m, int at, int messageLength) {
    int body = at + HEADER;
    int prefix = m.get(body + 1) & 0xff;
    int flags = m.get(body + 2) & 0xff;
    int index = m.getInt(body + 4);
    byte[] local = null;
    byte[] address = null;
    int protocol = 0;
    int attr = body + IFADDRMSG;
    int end = at + messageLength;
    while (attr + 4 <= end) {
      int attrLength = m.getShort(attr) & 0xffff;
      int attrType = m.getShort(attr + 2) & 0xffff;
      if (attrLength < 4 || attr + attrLength > end) {
        break;
      }
      int dataLength = attrLength - 4;
      switch (attrType) {
        case IFA_LOCAL -> local = bytes(m, attr + 4, dataLength);
        case IFA_ADDRESS -> address = bytes(m, attr + 4, dataLength);
        case IFA_FLAGS -> flags = dataLength >= 4 ? m.getInt(attr + 4) : flags;
        case IFA_PROTO -> protocol = dataLength >= 1 ? m.get(attr + 4) & 0xff : 0;
        default -> {
          // labels, broadcast, cache info: not needed
        }
      }
      attr += align(attrLength);
    }
    byte[] raw = local != null ? local : address;
    try {
      return new Dumped(index, InetAddress.getByAddress(raw), prefix, flags, protocol);
    } catch (UnknownHostException | NullPointerException e) {
      throw new IllegalStateException("netlink: an address message without an address", e);
    }
  }

  private static byte[] bytes(ByteBuffer m, int at, int length) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = m.get(at + i);
    }
    return out;
  }

  static int align(int length) {
    return (length + 3) & ~3;
  }

  /** One request: header, family message, attributes; the length is filled in at the end. */
  private static final class Builder {
    private final ByteBuffer buffer = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());

    Builder(short type, short flags, int sequence) {
      buffer.putInt(0).putShort(type).putShort(flags).putInt(sequence).putInt(0);
    }

    void ifaddrmsg(boolean v6, int prefixLength, int flags, int index) {
      buffer
          .put((byte) (v6 ? Libc.AF_INET6 : Libc.AF_INET))
          .put((byte) prefixLength)
          .put((byte) flags)
          .put((byte) 0)
          .putInt(index);
    }

    void ifaddrmsgFamily(byte family) {
      buffer.put(family).put((byte) 0).put((byte) 0).put((byte) 0).putInt(0);
    }

    void rtmsg(boolean v6, int prefixLength, byte protocol) {
      buffer
          .put((byte) (v6 ? Libc.AF_INET6 : Libc.AF_INET))
          .put((byte) prefixLength)
          .put((byte) 0)
          .put((byte) 0)
          .put(RT_TABLE_MAIN)
          .put(protocol)
          .put(RT_SCOPE_LINK)
          .put(RTN_UNICAST)
          .putInt(0);
    }

    void attribute(short type, byte[] data) {
      int length = 4 + data.length;
      buffer.putShort((short) length).putShort(type).put(data);
      buffer.position(buffer.position() + align(length) - length);
    }

    void attributeInt(short type, int value) {
      attribute(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
    }

    byte[] build() {
      int length = buffer.position();
      buffer.putInt(0, length);
      byte[] out = new byte[length];
      buffer.get(0, out);
      return out;
    }
  }

  /** Splits a list by interface, preserving the kernel's order (primary addresses first). */
  static List<Dumped> ofInterface(List<Dumped> all, int index) {
    List<Dumped> out = new ArrayList<>();
    for (Dumped d : all) {
      if (d.interfaceIndex() == index) {
        out.add(d);
      }
    }
    return out;
  }
}
