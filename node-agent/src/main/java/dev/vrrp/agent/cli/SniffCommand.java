package dev.vrrp.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vrrp.agent.config.AgentConfig;
import dev.vrrp.agent.config.ConfigException;
import dev.vrrp.agent.config.ConfigLoader;
import dev.vrrp.agent.config.InstanceSettings;
import dev.vrrp.agent.net.EthernetFrame;
import dev.vrrp.agent.net.PcapTransport;
import dev.vrrp.api.text.VirtualAddress;
import dev.vrrp.packet.Advertisement;
import dev.vrrp.packet.AdvertisementCodec;
import dev.vrrp.packet.AuthType;
import dev.vrrp.packet.DecodeError;
import dev.vrrp.packet.DecodeResult;
import dev.vrrp.packet.IpDatagram;
import dev.vrrp.packet.IpFamily;
import dev.vrrp.packet.V3Checksum;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code node-agent sniff}: every VRRP packet on an interface as one JSON line. */
@Command(
    name = "sniff",
    mixinStandardHelpOptions = true,
    description = "Print every VRRP packet seen on an interface as one JSON line.")
final class SniffCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--interface", required = true, description = "interface to listen on")
  String interfaceName;

  @Option(
      names = "--seconds",
      description = "stop after this many seconds (default: until interrupted)")
  Integer seconds;

  @Option(
      names = "--config",
      description = "an agent config: report packets that conflict with its instances")
  Path config;

  @Override
  public Integer call() throws Exception {
    List<InstanceSettings> local = new ArrayList<>();
    if (config != null) {
      try {
        AgentConfig agentConfig = ConfigLoader.load(config);
        local.addAll(agentConfig.instances());
      } catch (ConfigException e) {
        e.problems().forEach(System.err::println);
        return 2;
      }
    }
    try (PcapTransport ignored =
        PcapTransport.open(
            interfaceName, PcapTransport.VRRP_FILTER, frame -> print(frame, local))) {
      if (seconds == null) {
        Thread.currentThread().join();
      } else {
        Thread.sleep(seconds * 1000L);
      }
    }
    return 0;
  }

  private void print(byte[] frame, List<InstanceSettings> local) {
    Map<String, Object> line = new LinkedHashMap<>();
    byte[] packet = EthernetFrame.ipPayload(frame);
    if (packet == null) {
      return;
    }
    line.put("sourceMac", EthernetFrame.source(frame).toString());
    IpDatagram.Parsed parsed = IpDatagram.parse(packet);
    if (parsed instanceof IpDatagram.Failed failed) {
      line.put("error", failed.error().toString());
      emit(line);
      return;
    }
    IpDatagram datagram = ((IpDatagram.Ok) parsed).datagram();
    byte[] payload = datagram.payload();
    line.put("source", datagram.ip().source().getHostAddress());
    line.put("destination", datagram.ip().destination().getHostAddress());
    line.put("ttl", datagram.ip().ttl());
    DecodeResult result =
        AdvertisementCodec.decode(
            payload, 0, payload.length, datagram.ip(), EnumSet.allOf(V3Checksum.class));
    if (result instanceof DecodeResult.Rejected rejected) {
      line.put("checksumValid", rejected.error().reason() != DecodeError.Reason.BAD_CHECKSUM);
      line.put("error", rejected.error().toString());
      emit(line);
      return;
    }
    DecodeResult.Decoded decoded = (DecodeResult.Decoded) result;
    Advertisement adv = decoded.advertisement();
    line.put("version", adv.version());
    line.put("vrid", adv.virtualRouterId());
    line.put("priority", adv.priority());
    line.put("intervalMs", adv.intervalCentis() * 10);
    line.put("addresses", adv.addresses().stream().map(InetAddress::getHostAddress).toList());
    line.put(
        "auth",
        adv.authType() == AuthType.SIMPLE_TEXT
            ? "PASS:" + new String(adv.authData(), StandardCharsets.US_ASCII).replace("\0", "")
            : adv.authType().name());
    line.put("checksumValid", true);
    line.put(
        "checksumStyle",
        adv.version() == 2 ? "v2" : decoded.checksumStyle() == V3Checksum.AS_V2 ? "v2" : "rfc5798");
    line.put("conflict", conflict(adv, local));
    emit(line);
  }

  /** Why this packet disagrees with a local instance of the same VRID, or null when it agrees. */
  static String conflict(Advertisement adv, List<InstanceSettings> local) {
    for (InstanceSettings s : local) {
      if (s.virtualRouterId() != adv.virtualRouterId()
          || IpFamily.of(s.addresses().get(0).address()) != adv.family()) {
        continue;
      }
      List<String> problems = new ArrayList<>();
      if (s.version() != adv.version()) {
        problems.add("version " + adv.version() + " vs local " + s.version());
      }
      if (!new HashSet<>(adv.addresses())
          .equals(new HashSet<>(s.addresses().stream().map(VirtualAddress::address).toList()))) {
        problems.add("addresses differ from " + s.name());
      }
      if (adv.intervalCentis() * 10L != s.advertisementInterval().toMillis()) {
        problems.add(
            "interval "
                + adv.intervalCentis() * 10
                + "ms vs local "
                + s.advertisementInterval().toMillis()
                + "ms");
      }
      if (adv.version() == 2 && (s.password() == null) != (adv.authType() == AuthType.NONE)) {
        problems.add("authentication differs");
      }
      return problems.isEmpty() ? null : s.name() + ": " + String.join("; ", problems);
    }
    return null;
  }

  private static synchronized void emit(Map<String, Object> line) {
    try {
      System.out.println(JSON.writeValueAsString(line));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      System.out.println("{\"error\":\"cannot print packet\"}");
    }
  }
}
