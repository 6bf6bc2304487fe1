package dev.vrrp.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vrrp.api.kube.RealApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
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
  @RegisterExtension static final RealApiServer API = new RealApiServer();

  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  @BeforeAll
  static void installCrd() {
    API.installCrd();
  }

  /** The rejections of admission-cases.yaml, which SpecRulesParityTest holds SpecRules to. */
  static List<Arguments> invalid() {
    return AdmissionCases.VIRTUAL_IPS.rejected();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void rejectsWithAnErrorNamingTheField(String spec, String field, String message) {
    admission().assertRejected("invalid-" + SEQUENCE.incrementAndGet(), spec, field, message);
  }

  static List<Arguments> valid() {
    return AdmissionCases.VIRTUAL_IPS.accepted();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void acceptsGoodSpecs(String spec) {
    admission().create("valid-" + SEQUENCE.incrementAndGet(), spec);
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
    assertThat(raw)
        .containsEntry("version", 3)
        .containsEntry("advertisementInterval", "1s")
        .containsEntry("preempt", true)
        .containsEntry("preemptDelay", "0s")
        .containsEntry("unicast", false);
  }

  @Test
  void anUpdateIsValidatedToo() {
    String name = "update-" + SEQUENCE.incrementAndGet();
    virtualIps().resource(virtualIp(name, "addresses: [192.0.2.10/24]")).create();

    assertThatThrownBy(
            () ->
                virtualIps()
                    .withName(name)
                    .edit(
                        vip -> {
                          vip.setAdditionalProperty(
                              "spec",
                              Map.of(
                                  "addresses",
                                  List.of("192.0.2.10/24"),
                                  "version",
                                  2,
                                  "advertisementInterval",
                                  "100ms"));
                          return vip;
                        }))
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e ->
                assertThat(e.getStatus().getMessage())
                    .contains(
                        "spec.advertisementInterval: Invalid value: VRRPv2 needs whole seconds 1s-255s, got 100ms"));
    assertThat(virtualIps().withName(name).get().<Map<String, Object>>get("spec"))
        .containsEntry("advertisementInterval", "1s");
  }

  private static Admission admission() {
    return new Admission(API.client(), "VirtualIP");
  }

  private static MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      virtualIps() {
    return admission().resources();
  }

  private static GenericKubernetesResource virtualIp(String name, String specYaml) {
    return admission().object(name, specYaml);
  }
}
