package dev.vrrp.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.crd.CrdGenerator;
import dev.vrrp.api.kube.RealApiServer;
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
 * The pool CRD's admission on a real kube-apiserver: every bad spec of pool-admission-cases.yaml is
 * rejected naming its field, nothing is stored; good specs are stored with the defaults, and the
 * VRRP settings get the VirtualIP's defaults.
 */
@Tag("integration")
class VirtualIpPoolValidationIT {
  @RegisterExtension static final RealApiServer API = new RealApiServer();

  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  @BeforeAll
  static void installCrd() {
    API.installCrd(CrdGenerator.POOLS);
  }

  static List<Arguments> invalid() {
    return AdmissionCases.POOLS.rejected();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void rejectsWithAnErrorNamingTheField(String spec, String field, String message) {
    pools().assertRejected("invalid-" + SEQUENCE.incrementAndGet(), spec, field, message);
  }

  static List<Arguments> valid() {
    return AdmissionCases.POOLS.accepted();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void acceptsGoodSpecs(String spec) {
    pools().create("valid-" + SEQUENCE.incrementAndGet(), spec);
  }

  @Test
  void minimalSpecComesBackWithTheDefaults() {
    String name = "minimal-" + SEQUENCE.incrementAndGet();
    pools().create(name, "addresses: [192.0.2.200-192.0.2.210]");

    Map<String, Object> raw = pools().resources().withName(name).get().get("spec");
    assertThat(raw)
        .containsEntry("autoAssign", true)
        .containsEntry("avoidBuggyIPs", false)
        .containsEntry("version", 3)
        .containsEntry("advertisementInterval", "1s")
        .containsEntry("preempt", true)
        .containsEntry("preemptDelay", "0s")
        .containsEntry("unicast", false);
    VirtualIPPool typed = API.client().resources(VirtualIPPool.class).withName(name).get();
    assertThat(typed.getSpec().getAddresses()).containsExactly("192.0.2.200-192.0.2.210");
    assertThat(PoolRules.problems(typed.getSpec())).isEmpty();
  }

  private static Admission pools() {
    return new Admission(API.client(), "VirtualIPPool");
  }
}
