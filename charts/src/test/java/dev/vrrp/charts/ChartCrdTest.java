package dev.vrrp.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart's crds/ is a byte-identical copy of crds/ at the repository root (generated from the
 * api types and checked by the api module). The build copies it (maven-resources-plugin,
 * generate-resources); this test catches a copy that was edited, or left stale by a build that
 * skipped the copy ({@code -Dchart.crd.copy.skip=true}).
 */
class ChartCrdTest {
  @Test
  void chartCarriesExactlyTheGeneratedCrds() throws IOException {
    assertThat(names(Repo.chart().resolve("crds")))
        .isEqualTo(names(Repo.file("crds")))
        .contains("virtualips.vrrp.dev-v1.yml");
  }

  @Test
  void chartCrdIsByteIdentical() throws IOException {
    for (String name : names(Repo.file("crds"))) {
      byte[] source = Files.readAllBytes(Repo.file("crds").resolve(name));
      byte[] copy = Files.readAllBytes(Repo.chart().resolve("crds").resolve(name));
      assertThat(copy)
          .as(
              "charts/vrrp-operator/crds/%s differs from crds/%s: refresh it with ./mvnw -pl charts "
                  + "generate-resources (the build copies it) and commit both",
              name, name)
          .isEqualTo(source);
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yml") || n.endsWith(".yaml"))
          .sorted()
          .toList();
    }
  }
}
