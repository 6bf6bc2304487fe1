package dev.vrrp.charts;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;

/**
 * Where the chart and the rest of the repository are (Maven passes both; defaults for an IDE run).
 */
final class Repo {
  private Repo() {}

  static Path root() {
    return existing(Path.of(System.getProperty("repo.root", "..")));
  }

  static Path chart() {
    return existing(Path.of(System.getProperty("chart.dir", "vrrp-operator")));
  }

  static Path file(String relative) {
    return root().resolve(relative);
  }

  private static Path existing(Path path) {
    Path normalized = path.toAbsolutePath().normalize();
    if (!Files.isDirectory(normalized)) {
      Assertions.fail(
          normalized + " does not exist; run the tests through Maven (./mvnw -pl charts verify)");
    }
    return normalized;
  }
}
