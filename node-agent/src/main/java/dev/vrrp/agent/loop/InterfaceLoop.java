package dev.vrrp.agent.loop;

import dev.vrrp.agent.net.EthernetFrame;
import dev.vrrp.engine.Event;
import dev.vrrp.packet.AdvertisementCodec;
import dev.vrrp.packet.DecodeResult;
import dev.vrrp.packet.IpContext;
import dev.vrrp.packet.IpDatagram;
import dev.vrrp.packet.IpFamily;
import dev.vrrp.packet.V3Checksum;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One thread per interface: every packet, timer and health verdict of the interface's instances is
 * handled here in order. Packets are demultiplexed by (family, VRID).
 */
final class InterfaceLoop {
  private final String interfaceName;
  private final ScheduledExecutorService executor;
  private final MeterRegistry registry;
  private final Map<Integer, InstanceRunner> byKey = new HashMap<>();
  private final Map<Integer, Set<V3Checksum>> acceptedStyles = new HashMap<>();
  private final Set<InetAddress> localSources = new HashSet<>();

  InterfaceLoop(String interfaceName, ScheduledExecutorService executor, MeterRegistry registry) {
    this.interfaceName = interfaceName;
    this.executor = executor;
    this.registry = registry;
  }

  ScheduledExecutorService executor() {
    return executor;
  }

  String interfaceName() {
    return interfaceName;
  }

  void register(InstanceRunner runner, Set<V3Checksum> accepted) {
    int key = key(runner.engine().family(), runner.engine().config().virtualRouterId());
    byKey.put(key, runner);
    acceptedStyles.put(key, accepted);
    localSources.add(runner.engine().config().primaryAddress());
  }

  void unregister(InstanceRunner runner) {
    int key = key(runner.engine().family(), runner.engine().config().virtualRouterId());
    byKey.remove(key, runner);
    acceptedStyles.remove(key);
    localSources.remove(runner.engine().config().primaryAddress());
  }

  Collection<InstanceRunner> runners() {
    return byKey.values();
  }

  /** Called on the pcap thread; hands the frame to the loop thread. */
  void frameReceived(byte[] frame) {
    executor.execute(() -> dispatch(frame));
  }

  private void dispatch(byte[] frame) {
    byte[] packet = EthernetFrame.ipPayload(frame);
    if (packet == null) {
      drop(FrameDrop.NOT_IP.name());
      return;
    }
    IpDatagram.Parsed parsed = IpDatagram.parse(packet);
    if (parsed instanceof IpDatagram.Failed failed) {
      drop(failed.error().reason().name());
      return;
    }
    IpDatagram datagram = ((IpDatagram.Ok) parsed).datagram();
    if (datagram.protocol() != AdvertisementCodec.IP_PROTOCOL_VRRP) {
      drop(FrameDrop.NOT_VRRP.name());
      return;
    }
    IpContext ip = datagram.ip();
    if (localSources.contains(ip.source())) {
      return; // our own advertisement, looped back by the segment
    }
    byte[] payload = datagram.payload();
    int vrid = payload.length > 1 ? payload[1] & 0xff : 0;
    int key = key(ip.family(), vrid);
    InstanceRunner runner = byKey.get(key);
    if (runner == null) {
      drop(FrameDrop.UNKNOWN_VRID.name());
      return;
    }
    DecodeResult result =
        AdvertisementCodec.decode(payload, 0, payload.length, ip, acceptedStyles.get(key));
    if (result instanceof DecodeResult.Rejected rejected) {
      drop(rejected.error().reason().name());
      return;
    }
    runner.handle(
        new Event.AdvertisementReceived(
            ((DecodeResult.Decoded) result).advertisement(), ip.source()));
  }

  private void drop(String reason) {
    AgentMetrics.dropped(registry, interfaceName, reason);
  }

  // An int key: this runs for every received packet.
  private static int key(IpFamily family, int vrid) {
    return family.ordinal() << 8 | vrid;
  }
}
