package dev.vrrp.agent.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing (Jazzer) of the standalone config: any file is either a config or a
 * {@link ConfigException} that says what is wrong; no other exception may escape. Seeded with the
 * configs of {@code docs/standalone.md} ({@code ConfigFuzzTestInputs}). With {@code JAZZER_FUZZ=1}
 * (the fuzz tier of {@code ./test} and CI) it runs a million inputs; without, its seeds.
 */
@Tag("fuzz")
class ConfigFuzzTest {
  @FuzzTest(maxExecutions = 1_000_000, maxDuration = "10m")
  void anyFileIsAConfigOrSaysWhatIsWrong(byte[] file) {
    fuzzerTestOneInput(file);
  }

  /** Jazzer's command-line entry point, for the long run. */
  public static void fuzzerTestOneInput(byte[] file) {
    try {
      ConfigLoader.parse(new String(file, StandardCharsets.UTF_8));
    } catch (ConfigException expected) {
      // the answer for a bad file: it names the field and the reason
    }
  }
}
