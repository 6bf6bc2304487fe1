package dev.vrrp.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunCommandTest {
  @TempDir Path dir;

  @Test
  void aBadConfigExitsNonZeroWithOneLinePerProblemAndTouchesNothing() throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(
        config,
        """
        instances:
          - {name: VI_1, interface: no-such-if0, virtualRouterId: 300, addresses: [192.0.2.1/40]}
        """);
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = new CommandLine(new NodeAgentCommand()).execute("run", "--config", config.toString());
    } finally {
      System.setErr(original);
    }
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            "instances[0].virtualRouterId: must be 1-255, got 300",
            "instances[0].addresses: prefix length must be 0-32 for IPv4 and 0-128 for IPv6: 192.0.2.1/40");
  }
}
