package dev.vrrp.agent.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vrrp.agent.config.ConfigLoader;
import dev.vrrp.agent.keepalived.Importer.Target;
import dev.vrrp.api.v1alpha1.SpecRules;
import dev.vrrp.api.v1alpha1.VirtualIPSpec;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real-world keepalived.conf files (src/test/resources/keepalived/CASE/keepalived.conf), each with
 * the expected stdout ({@code expected-TARGET.yaml}) and stderr plus exit status ({@code
 * expected-TARGET.txt}, its last line {@code exit N}) for both targets. The printed configs must
 * pass our own rules. {@code GOLDEN_UPDATE=1} rewrites the expectations (then read the diff).
 */
class ImportGoldenTest {
  private static final Path SOURCES = Path.of("src/test/resources/keepalived");

  static Stream<String> cases() throws IOException, URISyntaxException {
    try (Stream<Path> dirs = Files.list(root())) {
      return dirs
          .filter(Files::isDirectory)
          .map(d -> d.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0} --to standalone")
  @MethodSource("cases")
  void toStandalone(String name) throws Exception {
    ImportResult result = run(name, Target.STANDALONE);
    compare(name, Target.STANDALONE, result);
    if (result.exitCode() != 2) {
      ConfigLoader.parse(result.stdout()); // throws with the problems when our rules refuse it
    }
  }

  @ParameterizedTest(name = "{0} --to virtualip")
  @MethodSource("cases")
  void toVirtualIp(String name) throws Exception {
    ImportResult result = run(name, Target.VIRTUALIP);
    compare(name, Target.VIRTUALIP, result);
    if (result.exitCode() != 2) {
      for (JsonNode document : documents(result.stdout())) {
        assertThat(document.path("apiVersion").asText()).isIn("v1", "vrrp.dev/v1alpha1");
        if (document.path("kind").asText().equals("VirtualIP")) {
          VirtualIPSpec spec =
              new YAMLMapper().treeToValue(document.get("spec"), VirtualIPSpec.class);
          assertThat(SpecRules.problems(spec)).as(document.toString()).isEmpty();
        } else {
          assertThat(document.path("kind").asText()).isEqualTo("Secret");
        }
      }
    }
  }

  static List<JsonNode> documents(String yaml) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (MappingIterator<JsonNode> it =
        new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode node = it.next();
        if (node != null && !node.isMissingNode() && !node.isNull()) {
          out.add(node);
        }
      }
    }
    return out;
  }

  private static ImportResult run(String name, Target target) throws Exception {
    return Importer.run(
        root().resolve(name).resolve("keepalived.conf"), target, "vrrp-system", new FileSources());
  }

  private static void compare(String name, Target target, ImportResult result) throws IOException {
    String suffix = target.name().toLowerCase(Locale.ROOT);
    String stderr =
        String.join("\n", result.stderr())
            + (result.stderr().isEmpty() ? "" : "\n")
            + "exit "
            + result.exitCode()
            + "\n";
    if ("1".equals(System.getenv("GOLDEN_UPDATE"))) {
      Files.writeString(
          SOURCES.resolve(name).resolve("expected-" + suffix + ".yaml"), result.stdout());
      Files.writeString(SOURCES.resolve(name).resolve("expected-" + suffix + ".txt"), stderr);
      return;
    }
    Path dir;
    try {
      dir = root().resolve(name);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    assertThat(result.stdout())
        .isEqualTo(Files.readString(dir.resolve("expected-" + suffix + ".yaml")));
    assertThat(stderr).isEqualTo(Files.readString(dir.resolve("expected-" + suffix + ".txt")));
  }

  private static Path root() throws URISyntaxException {
    return Path.of(ImportGoldenTest.class.getResource("/keepalived").toURI());
  }
}
