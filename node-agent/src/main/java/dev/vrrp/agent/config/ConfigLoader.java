package dev.vrrp.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vrrp.agent.config.CheckSettings.CheckType;
import dev.vrrp.agent.config.InstanceSettings.VirtualAddress;
import dev.vrrp.packet.IpFamily;
import dev.vrrp.packet.V3Checksum;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the standalone YAML config and validates every field, collecting all problems at once so
 * the user fixes them in one go. Nothing on the host is touched here.
 */
public final class ConfigLoader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> TOP = Set.of("adminAddress", "instances");
  private static final Set<String> INSTANCE = Set.of("name", "interface", "virtualRouterId", "priority", "version",
      "advertisementInterval", "preempt", "preemptDelay", "addresses", "authentication", "unicastPeers", "track",
      "sourceAddress", "virtualMac", "checksum", "announce");
  private static final Set<String> CHECK = Set.of("name", "type", "command", "url", "address", "interface",
      "interval", "timeout", "fall", "rise", "weight");

  private final List<String> problems = new ArrayList<>();

  private ConfigLoader() {}

  public static AgentConfig load(Path file) throws ConfigException {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(List.of(file + ": cannot read: " + e.getMessage()));
    }
    return parse(text);
  }

  public static AgentConfig parse(String yaml) throws ConfigException {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (IOException e) {
      throw new ConfigException(List.of("config: not valid YAML: " + e.getMessage().lines().findFirst().orElse("")));
    }
    ConfigLoader loader = new ConfigLoader();
    AgentConfig config = loader.read(root);
    if (!loader.problems.isEmpty()) {
      throw new ConfigException(loader.problems);
    }
    return config;
  }

  private AgentConfig read(JsonNode root) {
    if (root == null || !root.isObject()) {
      problem("config", "must be a mapping with 'instances'");
      return null;
    }
    unknownFields(root, "", TOP);
    InetSocketAddress admin = hostPort(root.path("adminAddress"), "adminAddress", "127.0.0.1:9477");
    List<InstanceSettings> instances = new ArrayList<>();
    JsonNode list = root.path("instances");
    if (!list.isArray() || list.isEmpty()) {
      problem("instances", "must list at least one instance");
    } else {
      for (int i = 0; i < list.size(); i++) {
        instances.add(instance(list.get(i), "instances[" + i + "]"));
      }
      uniqueNames(instances);
      uniqueVrids(instances);
    }
    return new AgentConfig(admin, instances);
  }

  private InstanceSettings instance(JsonNode n, String at) {
    if (!n.isObject()) {
      problem(at, "must be a mapping");
      return null;
    }
    unknownFields(n, at + ".", INSTANCE);
    String name = requiredText(n, at, "name");
    String iface = requiredText(n, at, "interface");
    int vrid = integer(n, at, "virtualRouterId", null, 1, 255);
    int priority = integer(n, at, "priority", 100, 1, 255);
    int version = integer(n, at, "version", 3, 2, 3);
    if (version != 2 && version != 3) {
      version = 3;
    }
    Duration interval = duration(n, at, "advertisementInterval", Duration.ofSeconds(1));
    if (interval != null) {
      checkInterval(interval, version, at + ".advertisementInterval");
    }
    boolean preempt = bool(n, at, "preempt", true);
    Duration preemptDelay = duration(n, at, "preemptDelay", Duration.ZERO);
    if (preemptDelay != null && preemptDelay.compareTo(Duration.ofSeconds(1000)) > 0) {
      problem(at + ".preemptDelay", "must be at most 1000s, got " + Durations.format(preemptDelay));
    }
    List<VirtualAddress> addresses = virtualAddresses(n.path("addresses"), at + ".addresses", version);
    String password = authentication(n.path("authentication"), at + ".authentication", version);
    List<InetAddress> peers = new ArrayList<>();
    JsonNode peerList = n.path("unicastPeers");
    if (!peerList.isMissingNode() && !peerList.isNull()) {
      if (!peerList.isArray()) {
        problem(at + ".unicastPeers", "must be a list of addresses");
      } else {
        for (int i = 0; i < peerList.size(); i++) {
          InetAddress peer = ip(peerList.get(i).asText(), at + ".unicastPeers[" + i + "]");
          if (peer != null) {
            peers.add(peer);
          }
        }
      }
    }
    InetAddress source = null;
    if (n.hasNonNull("sourceAddress")) {
      source = ip(n.get("sourceAddress").asText(), at + ".sourceAddress");
    }
    sameFamily(addresses, peers, source, at);
    boolean virtualMac = bool(n, at, "virtualMac", false);
    V3Checksum style = V3Checksum.PSEUDO_HEADER;
    boolean acceptBoth = true;
    if (n.hasNonNull("checksum")) {
      switch (n.get("checksum").asText()) {
        case "rfc5798" -> style = V3Checksum.PSEUDO_HEADER;
        case "v2" -> style = V3Checksum.AS_V2;
        case "rfc5798-strict" -> acceptBoth = false;
        case "v2-strict" -> {
          style = V3Checksum.AS_V2;
          acceptBoth = false;
        }
        default -> problem(at + ".checksum", "must be rfc5798, v2, rfc5798-strict or v2-strict, got '"
            + n.get("checksum").asText() + "'");
      }
    }
    AnnounceSettings announce = announce(n.path("announce"), at + ".announce");
    List<CheckSettings> checks = new ArrayList<>();
    JsonNode track = n.path("track");
    if (!track.isMissingNode() && !track.isNull()) {
      if (!track.isArray()) {
        problem(at + ".track", "must be a list of checks");
      } else {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < track.size(); i++) {
          CheckSettings check = check(track.get(i), at + ".track[" + i + "]", iface, i);
          if (check != null && !names.add(check.name())) {
            problem(at + ".track[" + i + "].name", "duplicate check name '" + check.name() + "'");
          }
          checks.add(check);
        }
      }
    }
    return new InstanceSettings(name, iface, vrid, priority, version, interval, preempt, preemptDelay, addresses,
        password, peers, source, virtualMac, style, acceptBoth, announce, checks);
  }

  private void checkInterval(Duration interval, int version, String at) {
    long ms = interval.toMillis();
    if (version == 2) {
      if (ms % 1000 != 0 || ms < 1000 || ms > 255_000) {
        problem(at, "VRRPv2 needs whole seconds 1s-255s, got " + Durations.format(interval));
      }
    } else if (ms % 10 != 0 || ms < 10 || ms > 40_950) {
      problem(at, "VRRPv3 needs 10ms-40950ms in steps of 10ms, got " + Durations.format(interval));
    }
  }

  private List<VirtualAddress> virtualAddresses(JsonNode list, String at, int version) {
    List<VirtualAddress> out = new ArrayList<>();
    if (!list.isArray() || list.isEmpty()) {
      problem(at, "must list at least one address");
      return out;
    }
    if (list.size() > 255) {
      problem(at, "at most 255 addresses fit one advertisement, got " + list.size());
    }
    Set<InetAddress> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String where = at + "[" + i + "]";
      String text = list.get(i).asText();
      String[] parts = text.split("/", 2);
      InetAddress address = ip(parts[0], where);
      if (address == null) {
        continue;
      }
      Integer prefix = null;
      int max = IpFamily.of(address) == IpFamily.IPV4 ? 32 : 128;
      if (parts.length == 2) {
        try {
          prefix = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
          prefix = -1;
        }
        if (prefix < 0 || prefix > max) {
          problem(where, "prefix length must be 0-" + max + ", got '" + parts[1] + "'");
          continue;
        }
      }
      if (!seen.add(address)) {
        problem(where, "duplicate address " + address.getHostAddress());
      }
      if (version == 2 && IpFamily.of(address) == IpFamily.IPV6) {
        problem(where, "VRRPv2 carries IPv4 only; use version: 3 for " + text);
      }
      out.add(new VirtualAddress(address, prefix));
    }
    if (out.stream().map(a -> IpFamily.of(a.address())).distinct().count() > 1) {
      problem(at, "mixes IPv4 and IPv6; VRRP needs one instance per family");
    }
    return out;
  }

  private String authentication(JsonNode n, String at, int version) {
    if (n.isMissingNode() || n.isNull()) {
      return null;
    }
    if (version != 2) {
      problem(at, "VRRPv3 has no authentication (RFC 5798 removed it); remove it or use version: 2");
      return null;
    }
    unknownFields(n, at + ".", Set.of("type", "password"));
    String type = n.path("type").asText("");
    if (!type.equals("PASS")) {
      problem(at + ".type", "must be PASS, got '" + type + "'");
      return null;
    }
    String password = n.path("password").asText("");
    if (password.isEmpty() || password.length() > 8) {
      problem(at + ".password", "must be 1-8 characters, got " + password.length());
      return null;
    }
    if (!password.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      problem(at + ".password", "must be printable ASCII");
      return null;
    }
    return password;
  }

  private AnnounceSettings announce(JsonNode n, String at) {
    if (n.isMissingNode() || n.isNull()) {
      return AnnounceSettings.DEFAULT;
    }
    unknownFields(n, at + ".", Set.of("repeat", "delay", "refresh"));
    int repeat = integer(n, at, "repeat", AnnounceSettings.DEFAULT.repeat(), 1, 255);
    Duration delay = duration(n, at, "delay", AnnounceSettings.DEFAULT.delay());
    Duration refresh = duration(n, at, "refresh", AnnounceSettings.DEFAULT.refresh());
    return new AnnounceSettings(repeat, delay, refresh);
  }

  private CheckSettings check(JsonNode n, String at, String instanceInterface, int index) {
    if (!n.isObject()) {
      problem(at, "must be a mapping");
      return null;
    }
    unknownFields(n, at + ".", CHECK);
    String typeText = n.path("type").asText("");
    CheckType type;
    try {
      type = CheckType.valueOf(typeText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      problem(at + ".type", "must be exec, http, tcp, interface or gateway, got '" + typeText + "'");
      return null;
    }
    String name = n.path("name").asText(type.name().toLowerCase(Locale.ROOT) + "-" + index);
    Duration interval = duration(n, at, "interval", Duration.ofSeconds(type == CheckType.INTERFACE ? 0 : 1)
        .plusMillis(type == CheckType.INTERFACE ? 200 : 0));
    Duration timeout = duration(n, at, "timeout", interval);
    if (interval != null && (interval.isZero() || interval.isNegative())) {
      problem(at + ".interval", "must be positive");
    }
    int fall = integer(n, at, "fall", 1, 1, 255);
    int rise = integer(n, at, "rise", 1, 1, 255);
    int weight = integer(n, at, "weight", 0, -253, 253);
    List<String> command = List.of();
    String url = null;
    String host = null;
    int port = 0;
    String iface = n.path("interface").asText(instanceInterface);
    String gateway = null;
    switch (type) {
      case EXEC -> {
        JsonNode c = n.path("command");
        if (c.isTextual() && !c.asText().isBlank()) {
          command = List.of("/bin/sh", "-c", c.asText());
        } else if (c.isArray() && !c.isEmpty()) {
          List<String> args = new ArrayList<>();
          c.forEach(a -> args.add(a.asText()));
          command = args;
        } else {
          problem(at + ".command", "exec checks need a command (a string or a list)");
        }
      }
      case HTTP -> {
        url = n.path("url").asText("");
        try {
          URI uri = URI.create(url);
          if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            problem(at + ".url", "must be an http:// or https:// URL, got '" + url + "'");
          }
        } catch (IllegalArgumentException e) {
          problem(at + ".url", "must be an http:// or https:// URL, got '" + url + "'");
        }
      }
      case TCP -> {
        InetSocketAddress target = hostPort(n.path("address"), at + ".address", null);
        if (target != null) {
          host = target.getHostString();
          port = target.getPort();
        }
      }
      case GATEWAY -> {
        if (n.hasNonNull("address")) {
          InetAddress gw = ip(n.get("address").asText(), at + ".address");
          gateway = gw == null ? null : gw.getHostAddress();
        }
      }
      case INTERFACE -> {
        // Checks the link of 'interface', by default the instance's own.
      }
    }
    return new CheckSettings(name, type, command, url, host, port, iface, gateway, interval, timeout, fall, rise,
        weight);
  }

  private void sameFamily(List<VirtualAddress> addresses, List<InetAddress> peers, InetAddress source, String at) {
    if (addresses.isEmpty()) {
      return;
    }
    IpFamily family = IpFamily.of(addresses.get(0).address());
    for (int i = 0; i < peers.size(); i++) {
      if (IpFamily.of(peers.get(i)) != family) {
        problem(at + ".unicastPeers[" + i + "]", "must be " + family + " like the addresses");
      }
    }
    if (source != null && IpFamily.of(source) != family) {
      problem(at + ".sourceAddress", "must be " + family + " like the addresses");
    }
  }

  private void uniqueNames(List<InstanceSettings> instances) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < instances.size(); i++) {
      InstanceSettings s = instances.get(i);
      if (s != null && s.name() != null && !names.add(s.name())) {
        problem("instances[" + i + "].name", "duplicate name '" + s.name() + "'");
      }
    }
  }

  // Two instances on one interface with one VRID and family would answer each other's packets.
  private void uniqueVrids(List<InstanceSettings> instances) {
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < instances.size(); i++) {
      InstanceSettings s = instances.get(i);
      if (s == null || s.addresses().isEmpty()) {
        continue;
      }
      String key = s.interfaceName() + "/" + s.virtualRouterId() + "/" + IpFamily.of(s.addresses().get(0).address());
      if (!keys.add(key)) {
        problem("instances[" + i + "].virtualRouterId", "VRID " + s.virtualRouterId()
            + " is already used on " + s.interfaceName() + " for this address family");
      }
    }
  }

  private void unknownFields(JsonNode n, String prefix, Set<String> known) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!known.contains(field)) {
        problem(prefix + field, "unknown field");
      }
    }
  }

  private String requiredText(JsonNode n, String at, String field) {
    JsonNode v = n.path(field);
    if (!v.isTextual() || v.asText().isBlank()) {
      problem(at + "." + field, "is required");
      return null;
    }
    return v.asText();
  }

  private int integer(JsonNode n, String at, String field, Integer defaultValue, int min, int max) {
    JsonNode v = n.path(field);
    if (v.isMissingNode() || v.isNull()) {
      if (defaultValue == null) {
        problem(at + "." + field, "is required");
        return min;
      }
      return defaultValue;
    }
    if (!v.isIntegralNumber()) {
      problem(at + "." + field, "must be a number " + min + "-" + max + ", got '" + v.asText() + "'");
      return min;
    }
    long value = v.asLong();
    if (value < min || value > max) {
      problem(at + "." + field, "must be " + min + "-" + max + ", got " + value);
      return min;
    }
    return (int) value;
  }

  private boolean bool(JsonNode n, String at, String field, boolean defaultValue) {
    JsonNode v = n.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return defaultValue;
    }
    if (!v.isBoolean()) {
      problem(at + "." + field, "must be true or false, got '" + v.asText() + "'");
      return defaultValue;
    }
    return v.asBoolean();
  }

  private Duration duration(JsonNode n, String at, String field, Duration defaultValue) {
    JsonNode v = n.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return defaultValue;
    }
    Duration d = v.isTextual() ? Durations.parse(v.asText()) : null;
    if (d == null) {
      problem(at + "." + field, "must be a duration like 100ms or 1s, got '" + v.asText() + "'");
      return defaultValue;
    }
    return d;
  }

  private InetAddress ip(String text, String at) {
    if (!text.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
      problem(at, "must be an IP address, got '" + text + "'");
      return null;
    }
    try {
      return InetAddress.getByName(text);
    } catch (IOException e) {
      problem(at, "must be an IP address, got '" + text + "'");
      return null;
    }
  }

  private InetSocketAddress hostPort(JsonNode v, String at, String defaultValue) {
    String text = v.isMissingNode() || v.isNull() ? defaultValue : v.asText();
    if (text == null) {
      problem(at, "is required (host:port)");
      return null;
    }
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      problem(at, "must be host:port, got '" + text + "'");
      return null;
    }
    String host = text.substring(0, colon).replace("[", "").replace("]", "");
    try {
      int port = Integer.parseInt(text.substring(colon + 1));
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return InetSocketAddress.createUnresolved(host, port);
    } catch (NumberFormatException e) {
      problem(at, "port must be 0-65535 in '" + text + "'");
      return null;
    }
  }

  private void problem(String field, String reason) {
    problems.add(field + ": " + reason);
  }
}
