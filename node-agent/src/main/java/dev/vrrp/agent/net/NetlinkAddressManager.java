package dev.vrrp.agent.net;

import com.sun.jna.Native;
import java.io.IOException;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Adds and removes addresses with rtnetlink (RTM_NEWADDR / RTM_DELADDR), as keepalived does. A
 * failover waits on this call, and a netlink round trip takes microseconds where starting `ip`
 * from a JVM takes milliseconds. Listing stays with iproute2's JSON, which is not on that path.
 */
public final class NetlinkAddressManager implements AddressManager {
  private static final int NETLINK_ROUTE = 0;
  private static final short RTM_NEWADDR = 20;
  private static final short RTM_DELADDR = 21;
  private static final short NLMSG_ERROR = 2;
  private static final short NLM_F_REQUEST = 0x1;
  private static final short NLM_F_ACK = 0x4;
  private static final short NLM_F_REPLACE = 0x100;
  private static final short NLM_F_CREATE = 0x400;
  private static final short IFA_ADDRESS = 1;
  private static final short IFA_LOCAL = 2;
  private static final int IFA_F_NODAD = 0x02;
  private static final int ENOENT = 2;
  private static final int EADDRNOTAVAIL = 99;

  private final AddressManager lister;
  private int sequence;

  public NetlinkAddressManager(AddressManager lister) {
    this.lister = lister;
  }

  @Override
  public synchronized void add(String interfaceName, List<InterfaceAddress> addresses) throws IOException {
    int index = index(interfaceName);
    for (InterfaceAddress address : addresses) {
      int error = request(RTM_NEWADDR, (short) (NLM_F_CREATE | NLM_F_REPLACE), index, address);
      if (error != 0) {
        throw new IOException("add " + address + " on " + interfaceName + ": errno " + error);
      }
    }
  }

  @Override
  public synchronized void remove(String interfaceName, List<InterfaceAddress> addresses) throws IOException {
    int index = index(interfaceName);
    for (InterfaceAddress address : addresses) {
      int error = request(RTM_DELADDR, (short) 0, index, address);
      if (error != 0 && error != EADDRNOTAVAIL && error != ENOENT) {
        throw new IOException("remove " + address + " from " + interfaceName + ": errno " + error);
      }
    }
  }

  @Override
  public List<InterfaceAddress> list(String interfaceName) throws IOException {
    return lister.list(interfaceName);
  }

  private static int index(String interfaceName) throws IOException {
    NetworkInterface nif = NetworkInterface.getByName(interfaceName);
    if (nif == null) {
      throw new IOException("no interface named " + interfaceName);
    }
    return nif.getIndex();
  }

  /** Sends one request and returns the kernel's answer: 0 or a positive errno. */
  private int request(short type, short flags, int index, InterfaceAddress address) throws IOException {
    byte[] raw = address.address().getAddress();
    boolean v6 = raw.length == 16;
    int attribute = 4 + raw.length;
    int length = 16 + 8 + 2 * align(attribute);
    ByteBuffer msg = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
    msg.putInt(length).putShort(type).putShort((short) (NLM_F_REQUEST | NLM_F_ACK | flags)).putInt(++sequence)
        .putInt(0);
    msg.put((byte) (v6 ? Libc.AF_INET6 : Libc.AF_INET)).put((byte) address.prefixLength())
        .put((byte) (v6 ? IFA_F_NODAD : 0)).put((byte) 0).putInt(index);
    for (short kind : new short[] {IFA_LOCAL, IFA_ADDRESS}) {
      msg.putShort((short) attribute).putShort(kind).put(raw);
      msg.position(msg.position() + align(attribute) - attribute);
    }
    int fd = Libc.INSTANCE.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) {
      throw new IOException("netlink socket: errno " + Native.getLastError());
    }
    try {
      // struct timeval {1 s, 0}: never hang a failover on a kernel that does not answer.
      byte[] timeout = new byte[16];
      timeout[0] = 1;
      Libc.INSTANCE.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeout, timeout.length);
      byte[] kernel = new byte[12];
      kernel[0] = (byte) Libc.AF_NETLINK;
      if (Libc.INSTANCE.sendto(fd, msg.array(), length, 0, kernel, kernel.length) < 0) {
        throw new IOException("netlink send: errno " + Native.getLastError());
      }
      byte[] reply = new byte[4096];
      long received = Libc.INSTANCE.recv(fd, reply, reply.length, 0);
      if (received < 20) {
        throw new IOException("netlink: no answer (errno " + Native.getLastError() + ")");
      }
      ByteBuffer answer = ByteBuffer.wrap(reply).order(ByteOrder.nativeOrder());
      if (answer.getShort(4) != NLMSG_ERROR) {
        throw new IOException("netlink: unexpected answer type " + answer.getShort(4));
      }
      return -answer.getInt(16);
    } finally {
      Libc.INSTANCE.close(fd);
    }
  }

  private static int align(int length) {
    return (length + 3) & ~3;
  }
}
