package dev.vrrp.agent.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vrrp.api.AgentDefaults;
import dev.vrrp.lab.Netns;
import dev.vrrp.lab.Segment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts the real node-agent jar inside a test host, the way an operator would run it. */
public final class Agents {
  /** The JVM flags the agent is run with everywhere (tests, benchmark, lab, image). */
  public static final List<String> JVM_FLAGS = AgentDefaults.JVM_FLAGS;

  /** Where the agents of the tests serve /state and /metrics, in each host's own namespace. */
  public static final String ADMIN = "127.0.0.1:9477";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Agents() {}

  public static Path jar() {
    return built("node-agent", "node-agent.jar");
  }

  /** A module's runnable jar, seen from that module or from a sibling (the e2e module). */
  public static Path built(String module, String jar) {
    for (Path candidate : List.of(Path.of("target", jar), Path.of("..", module, "target", jar))) {
      if (Files.exists(candidate)
          && (candidate.getNameCount() > 2 || Path.of("").toAbsolutePath().endsWith(module))) {
        return candidate.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException(
        module + "/target/" + jar + " is missing: integration tests run after 'package'");
  }

  public static Process start(Segment segment, String host, String yaml, Path dir)
      throws IOException {
    Path config = dir.resolve(host + ".yaml");
    Files.writeString(config, yaml);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> argv = new ArrayList<>(List.of(java.toString()));
    argv.addAll(JVM_FLAGS);
    String extra = System.getProperty("agent.jvm.extra", "");
    if (!extra.isBlank()) {
      argv.addAll(List.of(extra.split(" ")));
    }
    argv.addAll(
        List.of(
            "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-jar",
            jar().toString(),
            "run",
            "--config",
            config.toString()));
    return segment.start(host, argv, dir.resolve(host + ".log"));
  }

  /**
   * Starts {@code node-agent kubernetes} as the DaemonSet does: NODE_NAME from the downward API.
   */
  public static Process startKubernetes(Segment segment, String host, Path kubeconfig, Path dir)
      throws IOException {
    return startKubernetes(segment, host, kubeconfig, dir, List.of());
  }

  /** As {@link #startKubernetes(Segment, String, Path, Path)}, with more JVM options. */
  public static Process startKubernetes(
      Segment segment, String host, Path kubeconfig, Path dir, List<String> jvmOptions)
      throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> argv = new ArrayList<>(List.of(java.toString()));
    argv.addAll(JVM_FLAGS);
    argv.addAll(jvmOptions);
    argv.addAll(
        List.of(
            "-Dorg.slf4j.simpleLogger.showDateTime=true", "-jar", jar().toString(), "kubernetes"));
    return segment.start(
        host,
        argv,
        Map.of(
            "NODE_NAME",
            host,
            "KUBECONFIG",
            kubeconfig.toString(),
            "ADMIN_ADDRESS",
            ADMIN,
            "HEARTBEAT",
            "2s",
            // never the host's /run/vrrp-agent: the plan of each test's nodes stays in its
            // directory
            "STATE_DIR",
            dir.resolve("state").toString()),
        dir.resolve(host + ".log"));
  }

  /** A one-instance config in the format. */
  public static String config(
      String name,
      int vrid,
      int priority,
      int version,
      String interval,
      String address,
      String extra) {
    return """
        adminAddress: %s
        instances:
          - name: %s
            interface: eth0
            virtualRouterId: %d
            priority: %d
            version: %d
            advertisementInterval: %s
            preempt: true
            addresses: [%s]
        %s"""
        .formatted(ADMIN, name, vrid, priority, version, interval, address, extra.indent(4));
  }

  /** The first instance of the agent's {@code /state} in a test host (see {@link #config}). */
  public static JsonNode state(Segment segment, String host) throws IOException {
    String body = Netns.in(segment.ns(host), "curl", "-sf", "http://" + ADMIN + "/state");
    return JSON.readTree(body).path("instances").path(0);
  }

  /** The agent's {@code /metrics} in a test host. */
  public static String metrics(Segment segment, String host) {
    return Netns.in(segment.ns(host), "curl", "-sf", "http://" + ADMIN + "/metrics");
  }
}
