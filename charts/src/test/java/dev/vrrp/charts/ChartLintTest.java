package dev.vrrp.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

/** {@code helm lint} and {@code helm lint --strict}: no error, no warning. */
class ChartLintTest {
  @Test
  void lintIsClean() {
    LintResult result = Chart.helm().lint().call();

    System.out.println("helm lint: " + result.getMessages());
    assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
    assertThat(result.getMessages())
        .noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
  }

  @Test
  void strictLintIsClean() {
    LintResult result = Chart.helm().lint().strict().call();

    System.out.println("helm lint --strict: " + result.getMessages());
    assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
    assertThat(result.getMessages())
        .noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
  }
}
