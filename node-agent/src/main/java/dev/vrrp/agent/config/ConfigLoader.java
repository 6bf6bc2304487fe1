package dev.vrrp.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vrrp.api.Problem;
import dev.vrrp.api.Problems;
import dev.vrrp.api.text.HostPort;
import dev.vrrp.api.text.IpLiteral;
import dev.vrrp.api.text.VirtualAddress;
import dev.vrrp.api.v1alpha1.Authentication;
import dev.vrrp.api.v1alpha1.HealthCheck;
import dev.vrrp.api.v1alpha1.SpecRules;
import dev.vrrp.api.v1alpha1.VrrpSettings;
import dev.vrrp.packet.IpFamily;
import dev.vrrp.packet.ProtocolLimits;
import dev.vrrp.packet.V3Checksum;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads the standalone YAML config and validates every field, collecting all problems at once so
 * the user fixes them in one go. The fields a VirtualIP has too are checked by the same {@link
 * SpecRules} building blocks, so both modes accept and refuse the same values. Nothing on the host
 * is touched here.
 */
public final class ConfigLoader {
  /** Where the admin HTTP server listens unless the config says otherwise. */
  public static final String DEFAULT_ADMIN_ADDRESS = "127.0.0.1:9477";

  public static final int DEFAULT_PRIORITY = 100;

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> TOP = Set.of("adminAddress", "instances");
  private static final Set<String> INSTANCE =
      Set.of(
          "name",
          "interface",
          "virtualRouterId",
          "priority",
          "version",
          "advertisementInterval",
          "preempt",
          "preemptDelay",
          "addresses",
          "authentication",
          "unicastPeers",
          "track",
          "sourceAddress",
          "virtualMac",
          "checksum",
          "announce");
  private static final Set<String> CHECK =
      Set.of(
          "name",
          "type",
          "command",
          "url",
          "path",
          "process",
          "caFile",
          "insecureSkipVerify",
          "address",
          "interface",
          "interval",
          "timeout",
          "fall",
          "rise",
          "weight");

  private final Problems problems = new Problems();

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
      throw new ConfigException(
          List.of("config: not valid YAML: " + e.getMessage().lines().findFirst().orElse("")));
    }
    ConfigLoader loader = new ConfigLoader();
    AgentConfig config = loader.read(root);
    if (!loader.problems.isEmpty()) {
      throw new ConfigException(loader.problems.list().stream().map(Problem::toString).toList());
    }
    return config;
  }

  private AgentConfig read(JsonNode root) {
    if (root == null || !root.isObject()) {
      problems.add("config", "must be a mapping with 'instances'");
      return null;
    }
    unknownFields(root, "", TOP);
    String adminText = text(root, "adminAddress", DEFAULT_ADMIN_ADDRESS);
    HostPort admin = HostPort.tryParse(adminText).orElse(null);
    if (admin == null) {
      problems.add("adminAddress", HostPort.problem(adminText));
    }
    List<InstanceSettings> instances = new ArrayList<>();
    JsonNode list = root.path("instances");
    if (!list.isArray() || list.isEmpty()) {
      problems.add("instances", "must list at least one instance");
    } else {
      for (int i = 0; i < list.size(); i++) {
        instances.add(instance(list.get(i), "instances[" + i + "]"));
      }
      uniqueNames(instances);
      uniqueVrids(instances);
    }
    return new AgentConfig(admin == null ? null : admin.unresolved(), instances);
  }

  private InstanceSettings instance(JsonNode n, String at) {
    if (!n.isObject()) {
      problems.add(at, "must be a mapping");
      return null;
    }
    unknownFields(n, at + ".", INSTANCE);
    String name = requiredText(n, at, "name");
    String iface = requiredText(n, at, "interface");
    SpecRules.interfaceName(problems, at + ".interface", iface);
    int vrid =
        integer(n, at, "virtualRouterId", null, ProtocolLimits.MIN_VRID, ProtocolLimits.MAX_VRID);
    int priority =
        integer(
            n,
            at,
            "priority",
            DEFAULT_PRIORITY,
            ProtocolLimits.MIN_PRIORITY,
            ProtocolLimits.OWNER_PRIORITY);
    int version = SpecRules.version(problems, at + ".version", optionalInteger(n, at, "version"));
    Duration interval =
        SpecRules.interval(
            problems,
            at + ".advertisementInterval",
            version,
            text(n, "advertisementInterval", null));
    boolean preempt = bool(n, at, "preempt", VrrpSettings.DEFAULT_PREEMPT);
    Duration preemptDelay =
        SpecRules.preemptDelay(problems, at + ".preemptDelay", text(n, "preemptDelay", null));
    List<VirtualAddress> addresses =
        SpecRules.addresses(problems, at + ".addresses", texts(n, at, "addresses"), version);
    String password = authentication(n.path("authentication"), at + ".authentication", version);
    List<InetAddress> peers = new ArrayList<>();
    List<String> peerTexts = texts(n, at, "unicastPeers");
    for (int i = 0; peerTexts != null && i < peerTexts.size(); i++) {
      InetAddress peer = ip(peerTexts.get(i), at + ".unicastPeers[" + i + "]");
      if (peer != null) {
        peers.add(peer);
      }
    }
    InetAddress source =
        n.hasNonNull("sourceAddress")
            ? ip(n.get("sourceAddress").asText(), at + ".sourceAddress")
            : null;
    sameFamily(addresses, peers, source, at);
    boolean virtualMac = bool(n, at, "virtualMac", false);
    InstanceSettings.Builder settings = InstanceSettings.builder();
    if (n.hasNonNull("checksum")) {
      switch (n.get("checksum").asText()) {
        case "rfc5798" -> settings.v3Checksum(V3Checksum.PSEUDO_HEADER);
        case "v2" -> settings.v3Checksum(V3Checksum.AS_V2);
        case "rfc5798-strict" -> settings.acceptBothChecksums(false);
        case "v2-strict" -> settings.v3Checksum(V3Checksum.AS_V2).acceptBothChecksums(false);
        default ->
            problems.add(
                at + ".checksum",
                "must be rfc5798, v2, rfc5798-strict or v2-strict, got '"
                    + n.get("checksum").asText()
                    + "'");
      }
    }
    AnnounceSettings announce = announce(n.path("announce"), at + ".announce");
    List<CheckSettings> checks = checks(n.path("track"), at + ".track", iface);
    // built even with problems, so that the checks across instances (names, VRIDs) still run
    return settings
        .name(name)
        .interfaceName(iface)
        .virtualRouterId(vrid)
        .priority(priority)
        .version(version)
        .advertisementInterval(interval)
        .preempt(preempt)
        .preemptDelay(preemptDelay)
        .addresses(addresses)
        .password(password)
        .unicastPeers(peers)
        .sourceAddress(source)
        .virtualMac(virtualMac)
        .announce(announce)
        .track(checks)
        .build();
  }

  /**
   * The password, through the VirtualIP's authentication rules (the standalone form has no Secret).
   */
  private String authentication(JsonNode n, String at, int version) {
    if (n.isMissingNode() || n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      problems.add(at, "must be a mapping {type: PASS, password: ...}");
      return null;
    }
    unknownFields(n, at + ".", Set.of("type", "password"));
    Authentication auth = new Authentication();
    auth.setType(n.path("type").isMissingNode() ? null : n.path("type").asText());
    auth.setPassword(n.hasNonNull("password") ? n.get("password").asText() : null);
    int before = problems.count();
    if (auth.getPassword() == null && version == 2) {
      problems.add(at + ".password", "is required");
      return null;
    }
    SpecRules.authentication(problems, at, auth, version);
    return problems.since(before) ? null : auth.getPassword();
  }

  private List<CheckSettings> checks(JsonNode track, String at, String iface) {
    List<CheckSettings> out = new ArrayList<>();
    if (track.isMissingNode() || track.isNull()) {
      return out;
    }
    if (!track.isArray()) {
      problems.add(at, "must be a list of checks");
      return out;
    }
    List<HealthCheck> checks = new ArrayList<>();
    for (int i = 0; i < track.size(); i++) {
      checks.add(check(track.get(i), at + "[" + i + "]"));
    }
    int before = problems.count();
    SpecRules.checks(problems, at, checks);
    if (!problems.since(before)) {
      for (int i = 0; i < checks.size(); i++) {
        out.add(CheckMapping.settings(checks.get(i), iface, i));
      }
    }
    return out;
  }

  /**
   * A check as the VirtualIP type, so the same rules judge it; a string command runs in /bin/sh -c.
   */
  private HealthCheck check(JsonNode n, String at) {
    if (!n.isObject()) {
      problems.add(at, "must be a mapping");
      return null;
    }
    unknownFields(n, at + ".", CHECK);
    HealthCheck check = new HealthCheck();
    check.setName(text(n, "name", null));
    check.setType(text(n, "type", null));
    JsonNode command = n.path("command");
    if (command.isTextual() && !command.asText().isBlank()) {
      check.setCommand(List.of("/bin/sh", "-c", command.asText()));
    } else if (command.isArray()) {
      List<String> argv = new ArrayList<>();
      command.forEach(a -> argv.add(a.asText()));
      check.setCommand(argv);
    }
    check.setUrl(text(n, "url", null));
    check.setPath(text(n, "path", null));
    check.setCaFile(text(n, "caFile", null));
    if (n.has("insecureSkipVerify")) {
      check.setInsecureSkipVerify(bool(n, at, "insecureSkipVerify", false));
    }
    JsonNode process = n.path("process");
    if (process.isTextual() && !process.asText().isBlank()) {
      check.setProcess(List.of(process.asText()));
    } else if (process.isArray()) {
      List<String> words = new ArrayList<>();
      process.forEach(a -> words.add(a.asText()));
      check.setProcess(words);
    }
    check.setAddress(text(n, "address", null));
    check.setInterfaceName(text(n, "interface", null));
    check.setInterval(text(n, "interval", null));
    check.setTimeout(text(n, "timeout", null));
    check.setFall(optionalInteger(n, at, "fall"));
    check.setRise(optionalInteger(n, at, "rise"));
    check.setWeight(optionalInteger(n, at, "weight"));
    return check;
  }

  private AnnounceSettings announce(JsonNode n, String at) {
    if (n.isMissingNode() || n.isNull()) {
      return AnnounceSettings.DEFAULT;
    }
    unknownFields(n, at + ".", Set.of("repeat", "delay", "refresh"));
    int repeat = integer(n, at, "repeat", AnnounceSettings.DEFAULT.repeat(), 1, 255);
    Duration delay =
        n.hasNonNull("delay")
            ? SpecRules.duration(problems, at + ".delay", n.get("delay").asText())
            : AnnounceSettings.DEFAULT.delay();
    Duration refresh =
        n.hasNonNull("refresh")
            ? SpecRules.duration(problems, at + ".refresh", n.get("refresh").asText())
            : AnnounceSettings.DEFAULT.refresh();
    return new AnnounceSettings(repeat, delay, refresh);
  }

  private void sameFamily(
      List<VirtualAddress> addresses, List<InetAddress> peers, InetAddress source, String at) {
    if (addresses.isEmpty()) {
      return;
    }
    IpFamily family = addresses.get(0).family();
    for (int i = 0; i < peers.size(); i++) {
      if (IpFamily.of(peers.get(i)) != family) {
        problems.add(at + ".unicastPeers[" + i + "]", "must be " + family + " like the addresses");
      }
    }
    if (source != null && IpFamily.of(source) != family) {
      problems.add(at + ".sourceAddress", "must be " + family + " like the addresses");
    }
  }

  private void uniqueNames(List<InstanceSettings> instances) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < instances.size(); i++) {
      InstanceSettings s = instances.get(i);
      if (s != null && s.name() != null && !names.add(s.name())) {
        problems.add("instances[" + i + "].name", "duplicate name '" + s.name() + "'");
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
      String key = s.interfaceName() + "/" + s.virtualRouterId() + "/" + s.family();
      if (!keys.add(key)) {
        problems.add(
            "instances[" + i + "].virtualRouterId",
            "VRID "
                + s.virtualRouterId()
                + " is already used on "
                + s.interfaceName()
                + " for this address family");
      }
    }
  }

  private void unknownFields(JsonNode n, String prefix, Set<String> known) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!known.contains(field)) {
        problems.add(prefix + field, "unknown field");
      }
    }
  }

  /** A scalar as text (numbers too: the rules then say what the text should look like). */
  private static String text(JsonNode n, String field, String defaultValue) {
    JsonNode v = n.path(field);
    return v.isMissingNode() || v.isNull() ? defaultValue : v.asText();
  }

  private List<String> texts(JsonNode n, String at, String field) {
    JsonNode v = n.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      problems.add(at + "." + field, "must be a list");
      return null;
    }
    List<String> out = new ArrayList<>();
    v.forEach(item -> out.add(item.isNull() ? null : item.asText()));
    return out;
  }

  private String requiredText(JsonNode n, String at, String field) {
    JsonNode v = n.path(field);
    if (!v.isTextual() || v.asText().isBlank()) {
      problems.add(at + "." + field, "is required");
      return null;
    }
    return v.asText();
  }

  private Integer optionalInteger(JsonNode n, String at, String field) {
    JsonNode v = n.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      problems.add(at + "." + field, "must be a whole number, got '" + v.asText() + "'");
      return null;
    }
    return v.asInt();
  }

  private int integer(JsonNode n, String at, String field, Integer defaultValue, int min, int max) {
    JsonNode v = n.path(field);
    if (v.isMissingNode() || v.isNull()) {
      if (defaultValue == null) {
        problems.add(at + "." + field, "is required");
        return min;
      }
      return defaultValue;
    }
    if (!v.isIntegralNumber()) {
      problems.add(
          at + "." + field, "must be a number " + min + "-" + max + ", got '" + v.asText() + "'");
      return min;
    }
    long value = v.asLong();
    if (value < min || value > max) {
      problems.add(at + "." + field, "must be " + min + "-" + max + ", got " + value);
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
      problems.add(at + "." + field, "must be true or false, got '" + v.asText() + "'");
      return defaultValue;
    }
    return v.asBoolean();
  }

  private InetAddress ip(String text, String at) {
    var address = IpLiteral.tryParse(text);
    if (address.isEmpty()) {
      problems.add(at, IpLiteral.problem(text));
      return null;
    }
    return address.get();
  }
}
