package dev.vrrp.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's PrometheusRule, as Prometheus itself reads it: Debian's {@code promtool} checks the
 * rule group the chart renders and runs src/test/resources/alerts/alerts-test.yaml on it (series
 * that make each alert fire with its labels and annotations, and series that must not). Every alert
 * has a test and a runbook section in docs/alerts.md.
 */
@Tag("integration")
class PrometheusRulesIT {
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  private static final Pattern TESTED = Pattern.compile("(?m)^\\s*alertname:\\s*(\\w+)\\s*$");

  @TempDir Path dir;

  @Test
  void promtoolPassesTheRenderedRulesAndTheirTests() throws Exception {
    assertThat(PROMTOOL)
        .as("promtool: install Debian's prometheus package (./test and .ci/run do)")
        .isExecutable();
    JsonNode rules = renderedRules();
    Files.writeString(dir.resolve("rules.yaml"), Chart.YAML.writeValueAsString(rules));
    Path tests = dir.resolve("alerts-test.yaml");
    Files.copy(Repo.file("charts/src/test/resources/alerts/alerts-test.yaml"), tests);

    assertThat(promtool("check", "rules", dir.resolve("rules.yaml").toString())).isEmpty();
    assertThat(promtool("test", "rules", tests.toString())).isEmpty();
  }

  @Test
  void everyAlertHasATestAndARunbookSection() throws IOException {
    Set<String> alerts = new TreeSet<>();
    for (JsonNode group : renderedRules().path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        alerts.add(rule.path("alert").asText());
      }
    }
    assertThat(alerts)
        .containsExactlyInAnyOrder(
            "VrrpNoMaster",
            "VrrpSplitBrain",
            "VrrpFlapping",
            "VrrpNodeFault",
            "VrrpHeartbeatStale",
            "VrrpPacketsDropped",
            "VrrpVridExhausted");
    Set<String> tested = new TreeSet<>();
    Matcher m =
        TESTED.matcher(
            Files.readString(Repo.file("charts/src/test/resources/alerts/alerts-test.yaml")));
    while (m.find()) {
      tested.add(m.group(1));
    }
    assertThat(tested).as("alerts with a promtool test").isEqualTo(alerts);
    String runbooks = Files.readString(Repo.file("docs/alerts.md"));
    List<String> missing = new ArrayList<>();
    for (String alert : alerts) {
      if (!runbooks.contains("\n## " + alert + "\n")) {
        missing.add(alert);
      }
    }
    assertThat(missing).as("alerts without a '## <alert>' section in docs/alerts.md").isEmpty();
    for (JsonNode group : renderedRules().path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        assertThat(rule.path("annotations").path("runbook_url").asText())
            .endsWith("docs/alerts.md#" + rule.path("alert").asText().toLowerCase(Locale.ROOT));
      }
    }
  }

  /** The {@code spec} of the PrometheusRule the chart renders with the rules on: a rule file. */
  private static JsonNode renderedRules() {
    List<HasMetadata> objects = Chart.render("monitoring: {rules: {enabled: true}}");
    GenericKubernetesResource rule =
        objects.stream()
            .filter(o -> o.getKind().equals("PrometheusRule"))
            .map(GenericKubernetesResource.class::cast)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no PrometheusRule rendered"));
    return Chart.YAML.valueToTree(rule.getAdditionalProperties().get("spec"));
  }

  /** Runs promtool; returns its output when it failed, else "". */
  private String promtool(String... args) throws Exception {
    List<String> argv = new ArrayList<>();
    argv.add(PROMTOOL.toString());
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool ends").isTrue();
    System.out.println(String.join(" ", argv) + "\n" + out);
    return p.exitValue() == 0 ? "" : out;
  }
}
