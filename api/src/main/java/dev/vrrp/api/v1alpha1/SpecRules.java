package dev.vrrp.api.v1alpha1;

import dev.vrrp.api.AgentDefaults;
import dev.vrrp.api.Problem;
import dev.vrrp.api.Problems;
import dev.vrrp.api.text.Durations;
import dev.vrrp.api.text.HostPort;
import dev.vrrp.api.text.IpLiteral;
import dev.vrrp.api.text.VirtualAddress;
import dev.vrrp.packet.IpFamily;
import dev.vrrp.packet.ProtocolLimits;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The VirtualIP rules, once: what a spec must satisfy for an agent to run it. The CRD's schema and
 * CEL rules reject the same things at admission (a parity test holds them to the same fields);
 * these rules also cover a CRD installed without them and what CEL cannot say. The operator calls
 * {@link #problems} before it plans a VirtualIP, the agent before it runs one, and the standalone
 * config reads its fields with the same building blocks. Pure: no I/O, no lookups.
 */
public final class SpecRules {
  /** Linux interface names: 1-15 bytes, no slash, colon or white space (dev_valid_name). */
  public static final String INTERFACE_PATTERN = "^[^/:\\s]{1,15}$";

  /** The CRD bound on one address' text: the longest IPv6 text (45) plus /128. */
  public static final int MAX_ADDRESS_LENGTH = 49;

  /** keepalived's bound on preempt_delay. */
  public static final Duration MAX_PREEMPT_DELAY = Duration.ofSeconds(1000);

  /** The CRD bound on a duration's text. */
  public static final int MAX_DURATION_LENGTH = 16;

  /** The CRD bound on the number of health checks of one VirtualIP. */
  public static final int MAX_CHECKS = 32;

  /** A file check's path, at most (PATH_MAX). */
  public static final int MAX_PATH_LENGTH = 4096;

  /** A process check's name and arguments, at most. */
  public static final int MAX_PROCESS_WORDS = 64;

  /** Health check weights keep the effective priority inside 1-254. */
  public static final int MAX_CHECK_WEIGHT = 253;

  private static final Pattern INTERFACE = Pattern.compile(INTERFACE_PATTERN);
  private static final Set<String> CHECK_TYPES =
      Set.of("exec", "http", "tcp", "interface", "gateway", "file", "process");

  /** How many nodes {@code spec.nodeNames} may list. */
  public static final int MAX_NODE_NAMES = 1000;

  /** A node's name is a DNS subdomain: at most 253 characters. */
  public static final int MAX_NODE_NAME_LENGTH = 253;

  private SpecRules() {}

  /**
   * Every problem of the spec, each naming its field ({@code spec.addresses}, ...); empty when
   * usable.
   */
  public static List<Problem> problems(VirtualIPSpec spec) {
    Problems found = new Problems();
    if (spec == null) {
      found.add("spec", "is required");
      return found.list();
    }
    int version = version(found, "spec.version", spec.getVersion());
    addresses(found, "spec.addresses", spec.getAddresses(), version);
    Integer vrid = spec.getVirtualRouterId();
    if (vrid != null && !ProtocolLimits.allowsVrid(vrid)) {
      found.add("spec.virtualRouterId", "must be " + ProtocolLimits.VRID_RANGE + ", got " + vrid);
    }
    nodeNames(found, "spec.nodeNames", spec.getNodeNames());
    settings(found, "spec", spec, version);
    return found.list();
  }

  /**
   * The problems of the VRRP settings a VirtualIP and a pool share ({@link VrrpSettings}), each
   * field named under {@code parent}.
   */
  public static void settings(Problems found, String parent, VrrpSettings spec, int version) {
    interfaceName(found, parent + ".interface", spec.getInterfaceName());
    interval(found, parent + ".advertisementInterval", version, spec.getAdvertisementInterval());
    preemptDelay(found, parent + ".preemptDelay", spec.getPreemptDelay());
    authentication(found, parent + ".authentication", spec.getAuthentication(), version);
    priorities(found, parent + ".priorities", spec.getPriorities());
    List<HealthCheck> track = spec.getTrack() == null ? List.of() : spec.getTrack();
    checks(found, parent + ".track", track);
    for (int i = 0; i < track.size(); i++) {
      HealthCheck check = track.get(i);
      if (check != null
          && "file".equals(check.getType())
          && check.getPath() != null
          && check.getPath().startsWith("/")
          && !check.getPath().startsWith(AgentDefaults.TRACK_FILE_DIR)) {
        found.add(
            parent + ".track[" + i + "].path",
            "must lie in "
                + AgentDefaults.TRACK_FILE_DIR
                + " (the node directory the agent sees), got '"
                + check.getPath()
                + "'");
      }
    }
  }

  /** The version (default 3), or 3 after recording why the given one is unusable. */
  public static int version(Problems found, String field, Integer version) {
    if (version == null) {
      return VirtualIPSpec.DEFAULT_VERSION;
    }
    if (!ProtocolLimits.knownVersion(version)) {
      found.add(field, "must be 2 or 3, got " + version);
      return VirtualIPSpec.DEFAULT_VERSION;
    }
    return version;
  }

  /**
   * The virtual addresses: 1-255 unicast literals of one family, each once, IPv4 only for VRRPv2.
   * Problems with the list as a whole name {@code field}, a repeated item names its index.
   */
  public static List<VirtualAddress> addresses(
      Problems found, String field, List<String> texts, int version) {
    List<VirtualAddress> out = new ArrayList<>();
    if (texts == null || texts.isEmpty()) {
      found.add(field, "at least one address is required");
      return out;
    }
    if (texts.size() > ProtocolLimits.MAX_ADDRESSES) {
      found.add(
          field,
          "must have at most 255 items (one advertisement carries 255 addresses), got "
              + texts.size());
    }
    Map<String, Integer> written = new HashMap<>();
    Map<InetAddress, Integer> seen = new HashMap<>();
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      String item = field + "[" + i + "]";
      if (text == null) {
        found.add(item, "must be an IP address, got null");
        continue;
      }
      if (text.length() > MAX_ADDRESS_LENGTH) {
        found.add(item, "may not be more than " + MAX_ADDRESS_LENGTH + " characters");
        continue;
      }
      if (duplicate(found, field, i, text, written)) {
        continue;
      }
      var problem = VirtualAddress.problem(text);
      if (problem.isPresent()) {
        found.add(field, problem.get());
        continue;
      }
      VirtualAddress address = VirtualAddress.parse(text);
      if (!address.unicast()) {
        found.add(
            field,
            "not a unicast address (unspecified, loopback, multicast or broadcast): " + text);
        continue;
      }
      Integer first = seen.putIfAbsent(address.address(), i);
      if (first != null) {
        found.add(
            item,
            IpLiteral.format(address.address())
                + " is listed twice (also "
                + field
                + "["
                + first
                + "] "
                + texts.get(first)
                + ")");
        continue;
      }
      out.add(address);
    }
    if (out.stream().map(VirtualAddress::family).distinct().count() > 1) {
      found.add(field, "mixes IPv4 and IPv6; use one VirtualIP per family");
    } else if (version == 2 && out.stream().anyMatch(a -> a.family() == IpFamily.IPV6)) {
      found.add(field, VrrpSettings.V2_IPV4_ONLY_MESSAGE);
    }
    return out;
  }

  /** An optional interface name: what Linux accepts. */
  public static void interfaceName(Problems found, String field, String name) {
    if (name != null
        && (!INTERFACE.matcher(name).matches() || name.equals(".") || name.equals(".."))) {
      found.add(
          field,
          "must be a Linux interface name (1-15 characters, no '/', ':' or spaces), got '"
              + name
              + "'");
    }
  }

  /** The advertisement interval (default 1s), or null after recording why it is unusable. */
  public static Duration interval(Problems found, String field, int version, String text) {
    Duration interval =
        duration(found, field, text == null ? VirtualIPSpec.DEFAULT_INTERVAL : text);
    if (interval != null && !ProtocolLimits.allowsInterval(version, interval)) {
      found.add(field, ProtocolLimits.intervalRule(version) + ", got " + text);
      return null;
    }
    return interval;
  }

  /** Whether a higher priority takes over from a lower one (default: it does). */
  public static boolean preempt(Boolean given) {
    return given == null ? VrrpSettings.DEFAULT_PREEMPT : given;
  }

  /** The preemption delay (default 0s): at most {@link #MAX_PREEMPT_DELAY}. */
  public static Duration preemptDelay(Problems found, String field, String text) {
    Duration delay =
        duration(found, field, text == null ? VirtualIPSpec.DEFAULT_PREEMPT_DELAY : text);
    if (delay != null && delay.compareTo(MAX_PREEMPT_DELAY) > 0) {
      found.add(field, "must be at most 1000s, got " + text);
      return null;
    }
    return delay;
  }

  /** A duration field: the one grammar of {@link Durations}; null after recording a problem. */
  public static Duration duration(Problems found, String field, String text) {
    if (text != null && text.length() > MAX_DURATION_LENGTH) {
      found.add(field, "may not be more than " + MAX_DURATION_LENGTH + " characters");
      return null;
    }
    var parsed = Durations.tryParse(text);
    if (parsed.isEmpty()) {
      found.add(field, Durations.problem(text));
      return null;
    }
    return parsed.get();
  }

  /**
   * VRRPv2 PASS authentication: only with version 2, type PASS, exactly one of an inline password
   * and a Secret reference.
   */
  public static void authentication(
      Problems found, String field, Authentication auth, int version) {
    if (auth == null) {
      return;
    }
    if (version != 2) {
      found.add(
          field,
          "authentication exists in VRRPv2 only (RFC 5798 removed it); set version: 2 or remove it");
      return;
    }
    if (!Authentication.PASS.equals(auth.getType())) {
      found.add(field + ".type", "must be PASS, got '" + auth.getType() + "'");
    }
    if ((auth.getPassword() == null) == (auth.getPasswordSecretRef() == null)) {
      found.add(field, "give exactly one of password and passwordSecretRef");
      return;
    }
    if (auth.getPassword() != null) {
      password(found, field + ".password", auth.getPassword());
    } else {
      Authentication.SecretKeyRef ref = auth.getPasswordSecretRef();
      String at = field + ".passwordSecretRef";
      required(found, at + ".namespace", ref.getNamespace());
      required(found, at + ".name", ref.getName());
      required(found, at + ".key", ref.getKey());
    }
  }

  /** A VRRPv2 password as the wire carries it; also what a Secret's value must be. */
  public static String password(Problems found, String field, String password) {
    var problem = ProtocolLimits.passwordProblem(password);
    if (problem.isPresent()) {
      found.add(field, problem.get());
      return null;
    }
    return password;
  }

  private static void required(Problems found, String field, String value) {
    if (value == null || value.isBlank()) {
      found.add(field, "Required value");
    }
  }

  /**
   * Explicit priorities: each node once, 1-254 (255 is the address owner's, which a VirtualIP is
   * not).
   */
  public static void priorities(Problems found, String field, List<NodePriority> priorities) {
    if (priorities == null) {
      return;
    }
    Map<String, Integer> nodes = new HashMap<>();
    for (int i = 0; i < priorities.size(); i++) {
      NodePriority p = priorities.get(i);
      String item = field + "[" + i + "]";
      if (p == null || p.getNode() == null || p.getNode().isBlank()) {
        found.add(item + ".node", "Required value");
        continue;
      }
      if (p.getPriority() == null
          || p.getPriority() < ProtocolLimits.MIN_PRIORITY
          || p.getPriority() > ProtocolLimits.MAX_BACKUP_PRIORITY) {
        found.add(item + ".priority", "must be 1-254, got " + p.getPriority());
      }
      Integer first = nodes.putIfAbsent(p.getNode(), i);
      if (first != null) {
        found.add(
            item + ".node",
            "node " + p.getNode() + " is listed twice (also " + field + "[" + first + "])");
      }
    }
  }

  /** Node names: at most {@link #MAX_NODE_NAMES}, each a non-empty name, each once. */
  public static void nodeNames(Problems found, String field, List<String> names) {
    if (names == null) {
      return;
    }
    if (names.size() > MAX_NODE_NAMES) {
      found.add(field, "must have at most " + MAX_NODE_NAMES + " items, got " + names.size());
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      String item = field + "[" + i + "]";
      if (name == null || name.isEmpty()) {
        found.add(item, "should be at least 1 chars long");
        continue;
      }
      if (name.length() > MAX_NODE_NAME_LENGTH) {
        found.add(item, "Too long: may not be more than " + MAX_NODE_NAME_LENGTH + " bytes");
        continue;
      }
      duplicate(found, field, i, name, seen);
    }
  }

  /**
   * Whether {@code value}, item {@code index} of a set-typed list, was seen earlier; if so the
   * problem in the API server's words for {@code x-kubernetes-list-type: set}.
   */
  private static boolean duplicate(
      Problems found, String field, int index, String value, Map<String, Integer> seen) {
    Integer first = seen.putIfAbsent(value, index);
    if (first == null) {
      return false;
    }
    found.add(
        field + "[" + index + "]",
        "Duplicate value: \"" + value + "\" (also " + field + "[" + first + "])");
    return true;
  }

  /** Health checks: each usable on its own, names unique. */
  public static void checks(Problems found, String field, List<HealthCheck> checks) {
    if (checks.size() > MAX_CHECKS) {
      found.add(field, "must have at most " + MAX_CHECKS + " items, got " + checks.size());
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < checks.size(); i++) {
      String item = field + "[" + i + "]";
      HealthCheck check = checks.get(i);
      if (check == null) {
        found.add(item, "must be a check");
        continue;
      }
      check(found, item, check);
      String name = HealthCheck.nameOf(check, i);
      if (!names.add(name)) {
        found.add(item + ".name", "duplicate check name '" + name + "'");
      }
    }
  }

  /** One health check. */
  public static void check(Problems found, String field, HealthCheck check) {
    length(found, field + ".name", check.getName(), 63);
    length(found, field + ".path", check.getPath(), MAX_PATH_LENGTH);
    length(found, field + ".caFile", check.getCaFile(), MAX_PATH_LENGTH);
    boolean https = check.getUrl() != null && check.getUrl().startsWith("https://");
    if (check.getCaFile() != null) {
      if (!"http".equals(check.getType()) || !https) {
        found.add(field + ".caFile", "caFile is for http checks of https:// URLs");
      } else if (!check.getCaFile().startsWith("/")) {
        found.add(field + ".caFile", "must be an absolute path, got '" + check.getCaFile() + "'");
      }
    }
    if (Boolean.TRUE.equals(check.getInsecureSkipVerify())
        && (!"http".equals(check.getType()) || check.getCaFile() != null)) {
      found.add(
          field + ".insecureSkipVerify", "insecureSkipVerify is for http checks without a caFile");
    }
    length(found, field + ".url", check.getUrl(), 2048);
    length(found, field + ".address", check.getAddress(), 261);
    String type = check.getType();
    if (type == null || !CHECK_TYPES.contains(type)) {
      found.add(
          field + ".type",
          "must be exec, http, tcp, interface, gateway, file or process, got '" + type + "'");
      return;
    }
    switch (type) {
      case "exec" -> {
        if (check.getCommand() == null || check.getCommand().isEmpty()) {
          found.add(field + ".command", "exec checks need a command");
        }
      }
      case "http" -> {
        if (!httpUrl(check.getUrl())) {
          found.add(
              field + ".url", "must be an http:// or https:// URL, got '" + check.getUrl() + "'");
        }
      }
      case "tcp" -> {
        if (check.getAddress() == null) {
          found.add(field + ".address", "tcp checks need an address (host:port)");
        } else if (HostPort.tryParse(check.getAddress()).isEmpty()) {
          found.add(field + ".address", HostPort.problem(check.getAddress()));
        }
      }
      case "gateway" -> {
        if (check.getAddress() != null && IpLiteral.tryParse(check.getAddress()).isEmpty()) {
          found.add(field + ".address", IpLiteral.problem(check.getAddress()));
        }
      }
      case "file" -> {
        if (check.getPath() == null) {
          found.add(field + ".path", "file checks need a path");
        } else if (!check.getPath().startsWith("/")) {
          found.add(field + ".path", "must be an absolute path, got '" + check.getPath() + "'");
        }
      }
      case "process" -> {
        if (check.getProcess() == null || check.getProcess().isEmpty()) {
          found.add(
              field + ".process", "process checks need a process (its name, then any arguments)");
        } else if (check.getProcess().size() > MAX_PROCESS_WORDS) {
          found.add(
              field + ".process",
              "must have at most "
                  + MAX_PROCESS_WORDS
                  + " items, got "
                  + check.getProcess().size());
        }
      }
      default -> {
        // interface: checks the link of spec.interface unless it names another one
      }
    }
    interfaceName(found, field + ".interface", check.getInterfaceName());
    for (String[] d :
        new String[][] {{"interval", check.getInterval()}, {"timeout", check.getTimeout()}}) {
      if (d[1] != null) {
        Duration value = duration(found, field + "." + d[0], d[1]);
        if (value != null && value.isZero()) {
          found.add(field + "." + d[0], "must be longer than 0s");
        }
      }
    }
    range(found, field + ".fall", check.getFall(), 1, 255);
    range(found, field + ".rise", check.getRise(), 1, 255);
    range(found, field + ".weight", check.getWeight(), -MAX_CHECK_WEIGHT, MAX_CHECK_WEIGHT);
  }

  private static void length(Problems found, String field, String value, int max) {
    if (value != null && value.length() > max) {
      found.add(field, "may not be more than " + max + " characters");
    }
  }

  private static void range(Problems found, String field, Integer value, int min, int max) {
    if (value != null && (value < min || value > max)) {
      found.add(field, "must be " + min + "-" + max + ", got " + value);
    }
  }

  static boolean httpUrl(String url) {
    if (url == null) {
      return false;
    }
    try {
      URI uri = URI.create(url);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
