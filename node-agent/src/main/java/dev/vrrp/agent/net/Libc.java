package dev.vrrp.agent.net;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** The few libc socket calls the agent makes directly (raw IP and netlink sockets), through JNA. */
interface Libc extends Library {
  Libc INSTANCE = Native.load("c", Libc.class);

  int AF_INET = 2;
  int AF_INET6 = 10;
  int AF_NETLINK = 16;
  int SOCK_RAW = 3;
  int SOCK_CLOEXEC = 0x80000;
  int SOL_SOCKET = 1;
  int SO_RCVBUF = 8;
  int SO_RCVTIMEO = 20;
  int SO_BINDTODEVICE = 25;

  int socket(int domain, int type, int protocol);

  int setsockopt(int fd, int level, int name, byte[] value, int length);

  int bind(int fd, byte[] address, int length);

  long sendto(int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength);

  long recv(int fd, byte[] buffer, long length, int flags);

  int close(int fd);

  static byte[] intValue(int value) {
    return new byte[] {
      (byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)
    };
  }
}
