package dev.vrrp.agent.net;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapHandle.BlockingMode;
import org.pcap4j.core.PcapHandle.PcapDirection;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;

/**
 * {@link AddressProbe} through libpcap: a handle of its own for the probe's 300 ms, capturing only
 * what can answer (ARP, ICMPv6 Neighbor Advertisements), and sending the probes through it.
 */
public final class PcapAddressProbe implements AddressProbe {
  private static final int PROBES = 3;
  private static final long PROBE_SPACING_MILLIS = 100;
  private static final long POLL_MILLIS = 2;

  @Override
  public Map<InetAddress, InUse> probe(
      String interfaceName, MacAddress ownMac, List<InetAddress> addresses) throws IOException {
    Map<InetAddress, InUse> inUse = new LinkedHashMap<>();
    if (addresses.isEmpty()) {
      return inUse;
    }
    boolean v4 = addresses.stream().anyMatch(a -> a instanceof Inet4Address);
    boolean v6 = addresses.stream().anyMatch(a -> !(a instanceof Inet4Address));
    // answers (ARP, Neighbor Advertisements) and rival probes (ARP, DAD Neighbor Solicitations)
    String nd = "(icmp6 and (ip6[40] == 135 or ip6[40] == 136))";
    String filter = v4 && v6 ? "arp or " + nd : v4 ? "arp" : nd;
    PcapHandle handle = null;
    try {
      handle =
          new PcapHandle.Builder(interfaceName)
              .snaplen(256)
              .promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
              .timeoutMillis(10)
              .immediateMode(true)
              .build();
      handle.setDirection(PcapDirection.IN);
      handle.setFilter(filter, BpfCompileMode.OPTIMIZE);
      // polled: with immediate mode a blocking read can wait for ever on a quiet segment
      handle.setBlockingMode(BlockingMode.NONBLOCKING);
      long start = System.nanoTime();
      long deadline = start + BUDGET_MILLIS * 1_000_000L;
      int sent = 0;
      while (System.nanoTime() < deadline && inUse.size() < addresses.size()) {
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000L;
        if (sent < PROBES && elapsedMillis >= sent * PROBE_SPACING_MILLIS) {
          for (InetAddress address : addresses) {
            if (!inUse.containsKey(address)) {
              handle.sendPacket(ProbeFrames.probe(address, ownMac));
            }
          }
          sent++;
        }
        byte[] frame = handle.getNextRawPacket();
        if (frame == null) {
          pause();
          continue;
        }
        for (InetAddress address : addresses) {
          Optional<MacAddress> answer = ProbeFrames.answer(frame, address, ownMac);
          answer.ifPresent(mac -> inUse.putIfAbsent(address, new InUse(address, mac)));
          ProbeFrames.winningRival(frame, address, ownMac)
              .ifPresent(mac -> inUse.putIfAbsent(address, new InUse(address, mac, true)));
        }
      }
      return inUse;
    } catch (PcapNativeException | NotOpenException e) {
      throw new IOException(
          "probing " + addresses.size() + " addresses on " + interfaceName + ": " + e.getMessage(),
          e);
    } finally {
      if (handle != null) {
        handle.close();
      }
    }
  }

  private static void pause() throws IOException {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while probing", e);
    }
  }
}
