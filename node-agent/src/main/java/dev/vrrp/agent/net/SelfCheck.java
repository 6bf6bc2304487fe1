package dev.vrrp.agent.net;

import com.sun.jna.Native;
import dev.vrrp.packet.AdvertisementCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.pcap4j.core.Pcaps;

/**
 * Whether this node can run VRRP at all: libpcap loads (advertisements and announcements go out
 * through it) and the kernel grants raw sockets (CAP_NET_RAW). What fails here fails every
 * instance, so it is checked once, before any instance starts, and served as readiness: an agent
 * that cannot do its job is not ready, and each VirtualIP planned on its node says why.
 */
public final class SelfCheck {
  private final Supplier<String> libpcap;
  private final Supplier<String> rawSocket;
  private volatile List<String> problems;

  /** The real checks. */
  public SelfCheck() {
    this(SelfCheck::loadLibpcap, SelfCheck::openRawSocket);
  }

  /** Each supplier returns null when its check passes, else the problem. */
  public SelfCheck(Supplier<String> libpcap, Supplier<String> rawSocket) {
    this.libpcap = libpcap;
    this.rawSocket = rawSocket;
  }

  /** The problems, checked once (the answers do not change while the process runs). */
  public List<String> problems() {
    List<String> known = problems;
    if (known == null) {
      List<String> found = new ArrayList<>();
      for (Supplier<String> check : List.of(libpcap, rawSocket)) {
        String problem = check.get();
        if (problem != null) {
          found.add(problem);
        }
      }
      known = List.copyOf(found);
      problems = known;
    }
    return known;
  }

  public boolean ready() {
    return problems().isEmpty();
  }

  /** The reason an instance cannot start on this node, as one line; null when it can. */
  public String reason() {
    return ready() ? null : "this node cannot run VRRP: " + String.join("; ", problems());
  }

  private static String loadLibpcap() {
    try {
      Pcaps.libVersion();
      return null;
    } catch (Throwable t) {
      return "libpcap cannot be loaded ("
          + t.getClass().getSimpleName()
          + ": "
          + firstLine(t.getMessage())
          + "); install it (Debian: apt-get install libpcap0.8)";
    }
  }

  private static String openRawSocket() {
    try {
      int fd =
          Libc.INSTANCE.socket(
              Libc.AF_INET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, AdvertisementCodec.IP_PROTOCOL_VRRP);
      if (fd < 0) {
        return "raw sockets are refused (errno "
            + Native.getLastError()
            + "): the agent needs CAP_NET_RAW "
            + "(and CAP_NET_ADMIN for the addresses)";
      }
      Libc.INSTANCE.close(fd);
      return null;
    } catch (Throwable t) {
      return "raw sockets cannot be opened: " + t;
    }
  }

  private static String firstLine(String text) {
    return text == null ? "no message" : text.lines().findFirst().orElse("");
  }
}
