package dev.vrrp.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vrrp.api.kube.RealApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Admission on a real kube-apiserver: every bad spec is rejected, nothing is stored, and the error
 * names the field; good specs are accepted and the server fills in the defaults. Specs are sent as
 * raw YAML (not through the Java types) so the test sees exactly what a user's manifest would.
 */
@Tag("integration")
class VirtualIpValidationIT {
  @RegisterExtension
  static final RealApiServer API = new RealApiServer();

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  @BeforeAll
  static void installCrd() {
    API.installCrd();
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        // spec YAML, the field the error names, what it says
        reject("addresses: [192.0.2.300]",
            "spec.addresses", "Invalid value: not an IP address: 192.0.2.300"),
        reject("addresses: ['2001:db8::g/64']",
            "spec.addresses", "not an IP address: 2001:db8::g/64"),
        reject("addresses: [192.0.2.10/33]",
            "spec.addresses", "prefix length must be 0-32 for IPv4 and 0-128 for IPv6: 192.0.2.10/33"),
        reject("addresses: ['2001:db8::10/129']",
            "spec.addresses", "prefix length must be 0-32 for IPv4 and 0-128 for IPv6: 2001:db8::10/129"),
        reject("addresses: [224.0.0.18]",
            "spec.addresses", "not a unicast address (unspecified, loopback, multicast or broadcast): 224.0.0.18"),
        reject("{addresses: [192.0.2.10/24], virtualRouterId: 0}",
            "spec.virtualRouterId", "should be greater than or equal to 1"),
        reject("{addresses: [192.0.2.10/24], virtualRouterId: 256}",
            "spec.virtualRouterId", "should be less than or equal to 255"),
        reject("{addresses: [192.0.2.10/24], advertisementInterval: 5ms}",
            "spec.advertisementInterval", "VRRPv3 needs 10ms-40950ms in steps of 10ms, got 5ms"),
        reject("{addresses: [192.0.2.10/24], advertisementInterval: 41s}",
            "spec.advertisementInterval", "VRRPv3 needs 10ms-40950ms in steps of 10ms, got 41s"),
        reject("{addresses: [192.0.2.10/24], advertisementInterval: 15ms}",
            "spec.advertisementInterval", "VRRPv3 needs 10ms-40950ms in steps of 10ms, got 15ms"),
        reject("{addresses: [192.0.2.10/24], version: 2, advertisementInterval: 1500ms}",
            "spec.advertisementInterval", "VRRPv2 needs whole seconds 1s-255s, got 1500ms"),
        reject("{addresses: [192.0.2.10/24], version: 2, advertisementInterval: 256s}",
            "spec.advertisementInterval", "VRRPv2 needs whole seconds 1s-255s, got 256s"),
        reject("{addresses: [192.0.2.10/24], advertisementInterval: fast}",
            "spec.advertisementInterval", "should match '^[0-9]+([.][0-9]+)?(ms|s|m)$'"),
        reject("{addresses: [192.0.2.10/24], version: 2, authentication: {type: PASS, password: '123456789'}}",
            "spec.authentication.password", "Too long: may not be more than 8 bytes"),
        reject("{addresses: [192.0.2.10/24], version: 3, authentication: {type: PASS, password: secret}}",
            "spec.authentication", "Forbidden: authentication exists in VRRPv2 only (RFC 5798 removed it)"),
        reject("{addresses: [192.0.2.10/24], authentication: {type: PASS, password: secret}}",
            "spec.authentication", "Forbidden: authentication exists in VRRPv2 only"),
        reject("{addresses: [192.0.2.10/24], version: 2, authentication: {type: PASS}}",
            "spec.authentication", "give exactly one of password and passwordSecretRef"),
        reject("addresses: [192.0.2.10/24, 192.0.2.11/24, 192.0.2.10/24]",
            "spec.addresses[2]", "Duplicate value: \"192.0.2.10/24\""),
        reject("addresses: [192.0.2.10/24, '2001:db8::10/64']",
            "spec.addresses", "mixes IPv4 and IPv6; use one VirtualIP per family"),
        reject("{addresses: ['2001:db8::10/64'], version: 2}",
            "spec.addresses", "VRRPv2 carries IPv4 only; use version: 3 for IPv6"),
        reject("{version: 3}",
            "spec.addresses", "Required value"),
        reject("addresses: []",
            "spec.addresses", "should have at least 1 items"),
        reject(Named.of("addresses: 256 IPv4 addresses", "addresses: " + ipv4(256)),
            "spec.addresses", "must have at most 255 items"),
        reject("{addresses: [192.0.2.10/24], preemptDelay: 2000s}",
            "spec.preemptDelay", "must be at most 1000s, got 2000s"),
        reject("{addresses: [192.0.2.10/24], version: 4}",
            "spec.version", "should be less than or equal to 3"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void rejectsWithAnErrorNamingTheField(String spec, String field, String message) {
    String name = "invalid-" + SEQUENCE.incrementAndGet();
    KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class,
        () -> virtualIps().resource(virtualIp(name, spec)).create());

    assertThat(e).as("accepted: %s", spec).isNotNull();
    assertThat(e.getCode()).isEqualTo(422);
    assertThat(e.getStatus().getMessage()).contains(field + ": ").contains(message);
    assertThat(e.getStatus().getDetails().getCauses())
        .anySatisfy(cause -> {
          assertThat(cause.getField()).isEqualTo(field);
          assertThat(cause.getMessage()).contains(message);
        });
    assertThat(virtualIps().withName(name).get()).as("stored although rejected").isNull();
  }

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("addresses: [192.0.2.10/24]"),
        Arguments.of("addresses: [192.0.2.10, 192.0.2.11/32, 198.51.100.7/24]"),
        Arguments.of("addresses: ['2001:db8::10/64', '2001:db8::11', 'fe80::10/64']"),
        Arguments.of("{addresses: [192.0.2.10/24], version: 2, advertisementInterval: 2s,"
            + " authentication: {type: PASS, password: secret12}}"),
        Arguments.of("{addresses: [192.0.2.10/24], version: 2, advertisementInterval: 255s,"
            + " authentication: {type: PASS, passwordSecretRef: {namespace: vrrp, name: vrrp-auth, key: password}}}"),
        Arguments.of("{addresses: [192.0.2.10/24], advertisementInterval: 10ms}"),
        Arguments.of("{addresses: [192.0.2.10/24], advertisementInterval: 40950ms, preemptDelay: 1000s}"),
        Arguments.of("{addresses: [192.0.2.10/24], advertisementInterval: 1.5s, virtualRouterId: 255,"
            + " priorities: [{node: node-a, priority: 200}, {node: node-b, priority: 100}],"
            + " nodeSelector: {vrrp.dev/edge: 'true'}, unicast: true,"
            + " track: [{type: http, url: 'http://127.0.0.1:8080/healthz', weight: -50}]}"),
        // the most CEL work one VirtualIP can ask for: 255 addresses of the longest accepted form
        Arguments.of(Named.of("addresses: 255 IPv6 addresses written out in full", "addresses: " + longIpv6(255))),
        Arguments.of(Named.of("{addresses: 255 IPv4 addresses, version: 2}", "{addresses: " + ipv4(255) + ", version: 2}")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void acceptsGoodSpecs(String spec) {
    String name = "valid-" + SEQUENCE.incrementAndGet();
    GenericKubernetesResource created = virtualIps().resource(virtualIp(name, spec)).create();
    assertThat(created.getMetadata().getUid()).isNotBlank();
  }

  @Test
  void minimalSpecComesBackWithTheDefaults() {
    String name = "minimal-" + SEQUENCE.incrementAndGet();
    virtualIps().resource(virtualIp(name, "addresses: [192.0.2.10/24]")).create();

    VirtualIP stored = API.client().resources(VirtualIP.class).withName(name).get();
    VirtualIPSpec spec = stored.getSpec();
    assertThat(spec.getAddresses()).containsExactly("192.0.2.10/24");
    assertThat(spec.getVersion()).isEqualTo(3);
    assertThat(spec.getAdvertisementInterval()).isEqualTo("1s");
    assertThat(spec.getPreempt()).isTrue();
    assertThat(spec.getPreemptDelay()).isEqualTo("0s");
    assertThat(spec.getUnicast()).isFalse();
    assertThat(spec.getVirtualRouterId()).as("allocated by the operator, not defaulted").isNull();
    // and as raw JSON, so no Java field initializer can fake it
    Map<String, Object> raw = virtualIps().withName(name).get().get("spec");
    assertThat(raw).containsEntry("version", 3).containsEntry("advertisementInterval", "1s")
        .containsEntry("preempt", true).containsEntry("preemptDelay", "0s").containsEntry("unicast", false);
  }

  @Test
  void anUpdateIsValidatedToo() {
    String name = "update-" + SEQUENCE.incrementAndGet();
    virtualIps().resource(virtualIp(name, "addresses: [192.0.2.10/24]")).create();

    assertThatThrownBy(() -> virtualIps().withName(name).edit(vip -> {
      vip.setAdditionalProperty("spec", Map.of("addresses", List.of("192.0.2.10/24"), "version", 2,
          "advertisementInterval", "100ms"));
      return vip;
    })).isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
        .contains("spec.advertisementInterval: Invalid value: VRRPv2 needs whole seconds 1s-255s, got 100ms"));
    assertThat(virtualIps().withName(name).get().<Map<String, Object>>get("spec"))
        .containsEntry("advertisementInterval", "1s");
  }

  private static Arguments reject(String spec, String field, String message) {
    return reject(Named.of(spec, spec), field, message);
  }

  private static Arguments reject(Named<String> spec, String field, String message) {
    return Arguments.of(spec, field, message);
  }

  private static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList,
      Resource<GenericKubernetesResource>> virtualIps() {
    return API.client().genericKubernetesResources(VirtualIP.GROUP + "/" + VirtualIP.VERSION, "VirtualIP");
  }

  private static GenericKubernetesResource virtualIp(String name, String specYaml) {
    Map<String, Object> spec;
    try {
      spec = YAML.readValue(specYaml, new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new IllegalArgumentException("bad test YAML: " + specYaml, e);
    }
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(VirtualIP.GROUP + "/" + VirtualIP.VERSION)
        .withKind("VirtualIP")
        .withNewMetadata().withName(name).endMetadata()
        .addToAdditionalProperties("spec", spec)
        .build();
  }

  /** n distinct documentation IPv4 addresses, as a YAML flow list. */
  private static String ipv4(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> (i < 254 ? "192.0.2." + (i + 1) : "198.51.100." + (i - 253)) + "/24")
        .toList().toString();
  }

  /** n distinct documentation IPv6 addresses written out in full with /128 (43 characters each). */
  private static String longIpv6(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> "'2001:0db8:0000:0000:0000:0000:0000:%04x/128'".formatted(i + 1))
        .toList().toString();
  }
}
