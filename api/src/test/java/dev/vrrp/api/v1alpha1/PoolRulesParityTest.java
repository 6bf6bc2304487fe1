package dev.vrrp.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.Problem;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PoolRules and the pool CRD's admission agree, as {@link SpecRulesParityTest} holds for
 * VirtualIPs: what the API server rejects (VirtualIpPoolValidationIT), PoolRules rejects naming the
 * same field; what it stores, PoolRules accepts.
 */
class PoolRulesParityTest {
  static List<Arguments> rejected() {
    return AdmissionCases.POOLS.rejected();
  }

  static List<Arguments> accepted() {
    return AdmissionCases.POOLS.accepted();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void rejectsWhatAdmissionRejectsWithTheSameField(String spec, String field, String message) {
    List<Problem> problems =
        PoolRules.problems(AdmissionCases.typed(spec, VirtualIPPoolSpec.class));

    assertThat(problems).as("PoolRules accepted what admission rejects").isNotEmpty();
    assertThat(problems).extracting(Problem::field).contains(field);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void acceptsWhatAdmissionAccepts(String spec) {
    assertThat(PoolRules.problems(AdmissionCases.typed(spec, VirtualIPPoolSpec.class))).isEmpty();
  }
}
