package dev.vrrp.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code scripts/images.sh}, the offline image build: runs it and reads what {@code --print-config}
 * says each image gets (lines {@code key value}, one blank line after each image).
 */
final class ImagesScript {
  static final String PATH = "scripts/images.sh";

  private ImagesScript() {}

  /** One image as the script configures it. */
  record Image(Map<String, List<String>> values) {
    String one(String key) {
      List<String> found = all(key);
      assertThat(found).as("%s in the --print-config of %s", key, values.get("image")).hasSize(1);
      return found.get(0);
    }

    List<String> all(String key) {
      return values.getOrDefault(key, List.of());
    }

    String name() {
      return one("image");
    }
  }

  /** The output and exit code of a run. */
  record Run(int exitCode, String output, long millis) {}

  /** {@code --print-config --only NAMES} of the script in {@code root}, parsed, by image name. */
  static Map<String, Image> printConfig(Path root, String... names) {
    Run run = run(root, 60, "--print-config", "--only", String.join(",", names));
    assertThat(run.exitCode()).as("%s --print-config: %s", PATH, run.output()).isZero();
    return parse(run.output());
  }

  static Map<String, Image> parse(String output) {
    Map<String, Image> images = new LinkedHashMap<>();
    Map<String, List<String>> current = new LinkedHashMap<>();
    for (String line : (output + "\n").split("\n", -1)) {
      if (line.isEmpty()) {
        if (!current.isEmpty()) {
          Image image = new Image(current);
          images.put(image.name(), image);
          current = new LinkedHashMap<>();
        }
        continue;
      }
      int space = line.indexOf(' ');
      assertThat(space).as("a 'key value' line: %s", line).isPositive();
      current
          .computeIfAbsent(line.substring(0, space), k -> new ArrayList<>())
          .add(line.substring(space + 1));
    }
    return images;
  }

  /** Runs {@code bash scripts/images.sh ARGS} in {@code root}; stdout and stderr together. */
  static Run run(Path root, long timeoutSeconds, String... args) {
    List<String> command = new ArrayList<>(List.of("bash", root.resolve(PATH).toString()));
    command.addAll(List.of(args));
    long started = System.nanoTime();
    try {
      Process process =
          new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
      process.getOutputStream().close();
      StringBuilder output = new StringBuilder();
      Thread reader =
          new Thread(
              () -> {
                try {
                  output.append(
                      new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      reader.start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        reader.join(5_000);
        throw new AssertionError(
            String.join(" ", command) + " took over " + timeoutSeconds + "s:\n" + output);
      }
      reader.join();
      return new Run(
          process.exitValue(), output.toString(), (System.nanoTime() - started) / 1_000_000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
