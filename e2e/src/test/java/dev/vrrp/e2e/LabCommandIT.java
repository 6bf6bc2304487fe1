package dev.vrrp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vrrp.lab.Netns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command as a user types it: {@code ./lab up} (twice), {@code fail}, {@code
 * heal}, then a crashed lab process and {@code ./lab down}, which must leave no namespace, process
 * or file.
 */
@Tag("integration")
class LabCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  record Run(int exit, String output) {}

  Run lab(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of(EndToEndIT.REPO.resolve("lab").toString()));
    argv.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
    builder.environment().put("LAB_STATE", tmp.resolve("state").toString());
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    System.out.println("$ ./lab " + String.join(" ", args) + "\n" + out);
    return new Run(p.exitValue(), out);
  }

  Map<String, String> masters() throws Exception {
    JsonNode list = JSON.readTree(lab("kubectl", "get", "vips", "-o", "json").output());
    Map<String, String> masters = new HashMap<>();
    for (JsonNode vip : list.path("items")) {
      masters.put(
          vip.path("metadata").path("name").asText(), vip.path("status").path("master").asText(""));
    }
    return masters;
  }

  @Test
  void upFailHealAndDownAfterACrashLeaveNothingBehind() throws Exception {
    Path state = tmp.resolve("state");
    try {
      Run up = lab("up");
      assertThat(up.exit()).as(up.output()).isZero();
      assertThat(up.output()).contains("ready", "kubectl get vips -o wide", "export KUBECONFIG=");
      Map<String, String> masters = masters();
      assertThat(masters)
          .as("every example is applied and has a master")
          .hasSize(8)
          .allSatisfy((vip, master) -> assertThat(master).as(vip).startsWith("node-"));
      assertThat(masters).containsEntry("web", "node-a"); // examples/01: node-a has priority 150

      Run again = lab("up");
      assertThat(again.exit()).as(again.output()).isZero();
      assertThat(again.output()).contains("already up");

      Run fail = lab("fail", "node-a");
      assertThat(fail.exit()).as(fail.output()).isZero();
      assertThat(fail.output())
          .contains("web", "192.0.2.100/24 now on node-b", "status.master = node-b");
      assertThat(masters()).doesNotContainValue("node-a");

      assertThat(lab("fail", "node-x").output()).contains("no lab node called 'node-x'");
      assertThat(lab("heal", "node-a").exit()).isZero();
      // preemption: back to its preferred node once its agent runs again
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> "node-a".equals(masters().get("web")));

      // the lab process dies without cleaning up; down still removes everything
      long pid = Long.parseLong(Files.readString(state.resolve("lab.pid")).strip());
      ProcessHandle.of(pid).orElseThrow().destroyForcibly();
      Thread.sleep(500);
      Run down = lab("down");
      assertThat(down.exit()).as(down.output()).isZero();
      assertThat(down.output()).contains("the lab is down");
      assertThat(Netns.tryRun("ip", "netns", "list").output()).doesNotContain("vrrplab-");
      assertThat(state).doesNotExist();
      try (var cgroups = Files.list(Path.of("/sys/fs/cgroup/pids"))) {
        assertThat(cgroups.map(c -> c.getFileName().toString()))
            .as("the nodes' cgroups")
            .noneMatch(c -> c.startsWith("vrrplab-"));
      }
      assertThat(
              ProcessHandle.allProcesses()
                  .map(h -> h.info().commandLine().orElse(""))
                  .filter(c -> c.contains(state.toString()) || c.contains("vrrplab-")))
          .isEmpty();

      assertThat(lab("down").output()).contains("nothing to do");
    } finally {
      lab("down");
    }
  }
}
