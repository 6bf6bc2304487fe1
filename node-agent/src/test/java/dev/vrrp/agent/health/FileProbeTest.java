package dev.vrrp.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileProbeTest {
  @TempDir Path dir;

  @Test
  void readsTheNumberInTheFile() throws Exception {
    Path file = dir.resolve("web");
    Files.writeString(file, " -7\n");
    assertThat(new FileProbe(file).probe())
        .isEqualTo(new ProbeResult(false, file + " holds -7", -7L));
    Files.writeString(file, "0");
    assertThat(new FileProbe(file).probe()).isEqualTo(new ProbeResult(true, file + " holds 0", 0L));
  }

  @Test
  void aMissingFileOrOneWithoutANumberIsFailingWithoutAValue() throws Exception {
    Path file = dir.resolve("web");
    assertThat(new FileProbe(file).probe()).isEqualTo(ProbeResult.failed(file + " does not exist"));
    Files.writeString(file, "up");
    assertThat(new FileProbe(file).probe())
        .isEqualTo(ProbeResult.failed(file + " holds no number: 'up'"));
  }

  @Test
  void aHugeNumberIsBounded() throws Exception {
    Path file = dir.resolve("web");
    Files.writeString(file, "99999999999");
    assertThat(new FileProbe(file).probe().value()).isEqualTo(FileProbe.LIMIT);
  }
}
