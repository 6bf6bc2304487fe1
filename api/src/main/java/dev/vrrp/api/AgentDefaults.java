package dev.vrrp.api;

import dev.vrrp.api.text.Durations;
import java.time.Duration;
import java.util.List;

/** Defaults the operator and the agents must agree on, written once. */
public final class AgentDefaults {
  /**
   * How often an agent refreshes its status entries; the operator counts an entry older than three
   * of these as Unknown. The chart's {@code agent.heartbeat} has the same default.
   */
  public static final String HEARTBEAT = "10s";

  /**
   * The agent's JVM, everywhere it runs (the DaemonSet the operator renders, the image, the lab,
   * the tests and benchmarks): a collector with short pauses, since every stop of the JVM is a stop
   * of the advertisements, and a pause near Master_Down_Interval (0.3 s at 100 ms adverts) is a
   * failover. With 1000 instances the serial collector's full collections took 260-306 ms, and
   * instances flapped.
   */
  public static final List<String> JVM_FLAGS =
      List.of(
          "-XX:+UseG1GC",
          "-XX:MaxGCPauseMillis=20",
          "-XX:TieredStopAtLevel=1",
          "-Xss256k",
          "-Xms16m",
          "-Xmx128m",
          "-XX:MaxMetaspaceSize=64m",
          "-XX:ReservedCodeCacheSize=32m");

  /**
   * The node directory the agent pods mount (hostPath): its ownership marks and saved plan, and the
   * files {@code file} checks read.
   */
  public static final String STATE_DIR = "/run/vrrp-agent";

  /**
   * Where a VirtualIP's {@code file} checks may read: the one node directory the agent sees. Node
   * tooling writes the values there (keepalived's track_file).
   */
  public static final String TRACK_FILE_DIR = STATE_DIR + "/track/";

  /** Where the agent pods see the node's /proc (read-only hostPath), for {@code process} checks. */
  public static final String HOST_PROC = "/host/proc";

  private AgentDefaults() {}

  public static Duration heartbeat() {
    return Durations.parse(HEARTBEAT);
  }
}
