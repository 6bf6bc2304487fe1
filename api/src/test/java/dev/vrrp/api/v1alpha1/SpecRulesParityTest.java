package dev.vrrp.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.Problem;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SpecRules and the CRD's admission agree: every spec the API server rejects (the cases
 * VirtualIpValidationIT proves on a real server), SpecRules rejects with the same field; every spec
 * it stores, SpecRules accepts. So an operator or agent that finds a problem names the field the
 * user would have seen at admission, and a CRD installed without its CEL rules changes nothing.
 */
class SpecRulesParityTest {

  static List<org.junit.jupiter.params.provider.Arguments> rejected() {
    return AdmissionCases.VIRTUAL_IPS.rejected();
  }

  static List<org.junit.jupiter.params.provider.Arguments> accepted() {
    return AdmissionCases.VIRTUAL_IPS.accepted();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void rejectsWhatAdmissionRejectsWithTheSameField(String spec, String field, String message) {
    List<Problem> problems = SpecRules.problems(AdmissionCases.typed(spec, VirtualIPSpec.class));

    assertThat(problems).as("SpecRules accepted what admission rejects").isNotEmpty();
    assertThat(problems).extracting(Problem::field).contains(field);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void acceptsWhatAdmissionAccepts(String spec) {
    assertThat(SpecRules.problems(AdmissionCases.typed(spec, VirtualIPSpec.class))).isEmpty();
  }
}
