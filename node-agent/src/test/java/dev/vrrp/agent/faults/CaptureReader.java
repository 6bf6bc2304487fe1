package dev.vrrp.agent.faults;

import dev.vrrp.agent.net.EthernetFrame;
import dev.vrrp.packet.AdvertisementCodec;
import dev.vrrp.packet.IpDatagram;
import java.io.EOFException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;

/**
 * Reads a bridge capture into {@link Observation}s: advertisements of one VRID, ARP claims and echo
 * replies for the VIP, each attributed to a node by its source MAC.
 */
final class CaptureReader {
  private static final int ICMP = 1;
  private static final int ECHO_REPLY = 0;

  private final Map<String, String> nodeByMac;
  private final InetAddress vip;
  private final int vrid;

  /**
   * @param nodeByMac node names by lower-case MAC ("02:ab:..."); other MACs become "?"
   */
  CaptureReader(Map<String, String> nodeByMac, InetAddress vip, int vrid) {
    this.nodeByMac = Map.copyOf(nodeByMac);
    this.vip = vip;
    this.vrid = vrid;
  }

  List<Observation> read(Path pcap) throws PcapNativeException {
    List<Observation> seen = new ArrayList<>();
    PcapHandle handle = Pcaps.openOffline(pcap.toString(), PcapHandle.TimestampPrecision.NANO);
    try {
      while (true) {
        byte[] frame;
        try {
          frame = handle.getNextRawPacketEx();
        } catch (EOFException end) {
          break;
        } catch (TimeoutException | NotOpenException e) {
          throw new IllegalStateException("reading " + pcap, e);
        }
        Timestamp at = handle.getTimestamp();
        long nanos = at.getTime() / 1000 * 1_000_000_000L + at.getNanos();
        Observation o = observe(nanos, frame);
        if (o != null) {
          seen.add(o);
        }
      }
    } finally {
      handle.close();
    }
    return seen;
  }

  /** What one frame says about the VIP, or null. */
  Observation observe(long nanos, byte[] frame) {
    if (frame.length < 14) {
      return null;
    }
    String node = nodeByMac.getOrDefault(mac(frame, 6), "?");
    int type = (frame[12] & 0xff) << 8 | frame[13] & 0xff;
    if (type == EthernetFrame.ETHERTYPE_ARP) {
      return arpClaim(frame) ? Observation.arp(nanos, node) : null;
    }
    byte[] packet = EthernetFrame.ipPayload(frame);
    if (packet == null || !(IpDatagram.parse(packet) instanceof IpDatagram.Ok ok)) {
      return null;
    }
    IpDatagram d = ok.datagram();
    byte[] payload = d.payload();
    if (d.protocol() == AdvertisementCodec.IP_PROTOCOL_VRRP
        && payload.length > 2
        && (payload[1] & 0xff) == vrid) {
      return Observation.advert(nanos, node, payload[2] & 0xff);
    }
    if (d.protocol() == ICMP
        && payload.length > 0
        && payload[0] == ECHO_REPLY
        && d.ip().source().equals(vip)) {
      return Observation.reply(nanos, node);
    }
    return null;
  }

  // an ARP reply or gratuitous ARP whose sender address is the VIP
  private boolean arpClaim(byte[] frame) {
    if (frame.length < 42) {
      return false;
    }
    byte[] sender = Arrays.copyOfRange(frame, 28, 32);
    return Arrays.equals(sender, vip.getAddress());
  }

  private static String mac(byte[] frame, int offset) {
    return HexFormat.ofDelimiter(":").formatHex(frame, offset, offset + 6);
  }
}
