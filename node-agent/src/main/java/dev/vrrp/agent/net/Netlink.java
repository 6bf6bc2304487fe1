package dev.vrrp.agent.net;

import com.sun.jna.Native;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One rtnetlink round trip per call, through libc (JNA): a request and its acknowledgement, or a
 * dump.
 */
final class Netlink {
  private static final int NETLINK_ROUTE = 0;

  private Netlink() {}

  /** Sends one request; returns the kernel's errno (0: done). */
  static int request(byte[] message) throws IOException {
    int fd = open();
    try {
      send(fd, message);
      byte[] reply = new byte[4096];
      long received = Libc.INSTANCE.recv(fd, reply, reply.length, 0);
      int errno = received < 0 ? -1 : NetlinkMessages.acknowledgement(reply, (int) received);
      if (errno < 0) {
        throw new IOException("netlink: no acknowledgement (errno " + Native.getLastError() + ")");
      }
      return errno;
    } finally {
      Libc.INSTANCE.close(fd);
    }
  }

  /** Every address of every interface, in the kernel's order. */
  static List<NetlinkMessages.Dumped> dumpAddresses(int sequence) throws IOException {
    int fd = open();
    try {
      send(fd, NetlinkMessages.dumpAddresses(sequence));
      List<NetlinkMessages.Dumped> out = new ArrayList<>();
      byte[] buffer = new byte[32768];
      while (true) {
        long received = Libc.INSTANCE.recv(fd, buffer, buffer.length, 0);
        if (received <= 0) {
          throw new IOException(
              "netlink: the address dump stopped (errno " + Native.getLastError() + ")");
        }
        try {
          if (NetlinkMessages.parseAddressDump(buffer, (int) received, out)) {
            return out;
          }
        } catch (IllegalStateException e) {
          throw new IOException(e.getMessage(), e);
        }
      }
    } finally {
      Libc.INSTANCE.close(fd);
    }
  }

  private static int open() throws IOException {
    int fd =
        Libc.INSTANCE.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) {
      throw new IOException("netlink socket: errno " + Native.getLastError());
    }
    // struct timeval {1 s, 0}: never hang a failover on a kernel that does not answer.
    byte[] timeout = new byte[16];
    timeout[0] = 1;
    Libc.INSTANCE.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeout, timeout.length);
    return fd;
  }

  private static void send(int fd, byte[] message) throws IOException {
    byte[] kernel = new byte[12];
    kernel[0] = (byte) Libc.AF_NETLINK;
    if (Libc.INSTANCE.sendto(fd, message, message.length, 0, kernel, kernel.length) < 0) {
      throw new IOException("netlink send: errno " + Native.getLastError());
    }
  }
}
