package dev.vrrp.api.v1alpha1;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Admission cases as data ({@code admission-cases.yaml} for VirtualIPs, {@code
 * pool-admission-cases.yaml} for pools), for the API-server tests and the parity tests.
 */
final class AdmissionCases {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern GENERATED = Pattern.compile("\\$(IPV4|LONG_IPV6)\\((\\d+)\\)");

  record Rejected(String spec, String field, String message) {}

  record Cases(List<Rejected> rejected, List<String> accepted) {}

  static final AdmissionCases VIRTUAL_IPS = new AdmissionCases("/admission-cases.yaml");
  static final AdmissionCases POOLS = new AdmissionCases("/pool-admission-cases.yaml");

  private final Cases cases;

  private AdmissionCases(String resource) {
    this.cases = load(resource);
  }

  /** Arguments (spec YAML named by its short form, field, message). */
  List<Arguments> rejected() {
    return cases.rejected().stream()
        .map(c -> Arguments.of(Named.of(c.spec(), expand(c.spec())), c.field(), c.message()))
        .toList();
  }

  /** Arguments (spec YAML named by its short form). */
  List<Arguments> accepted() {
    return cases.accepted().stream()
        .map(spec -> Arguments.of(Named.of(spec, expand(spec))))
        .toList();
  }

  /** The spec as the Java type, the way the operator and the agents read it from the API server. */
  static <T> T typed(String specYaml, Class<T> type) {
    try {
      return YAML.readValue(specYaml, type);
    } catch (IOException e) {
      throw new IllegalArgumentException("bad test YAML: " + specYaml, e);
    }
  }

  static Map<String, Object> raw(String specYaml) {
    try {
      return YAML.readValue(specYaml, new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new IllegalArgumentException("bad test YAML: " + specYaml, e);
    }
  }

  private static Cases load(String resource) {
    try (InputStream in = AdmissionCases.class.getResourceAsStream(resource)) {
      return YAML.readValue(in, Cases.class);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
  }

  private static String expand(String spec) {
    Matcher m = GENERATED.matcher(spec);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      int n = Integer.parseInt(m.group(2));
      m.appendReplacement(
          out, Matcher.quoteReplacement(m.group(1).equals("IPV4") ? ipv4(n) : longIpv6(n)));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** n distinct documentation IPv4 addresses, as a YAML flow list. */
  private static String ipv4(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> (i < 254 ? "192.0.2." + (i + 1) : "198.51.100." + (i - 253)) + "/24")
        .toList()
        .toString();
  }

  /** n distinct documentation IPv6 addresses written out in full with /128 (43 characters each). */
  private static String longIpv6(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> "'2001:0db8:0000:0000:0000:0000:0000:%04x/128'".formatted(i + 1))
        .toList()
        .toString();
  }
}
