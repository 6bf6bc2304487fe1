package dev.vrrp.e2e;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time used by the processes of a run, grouped by what they are (API server, etcd, operator,
 * agents, this benchmark's JVM, the rest), from the processes' own accounting: shows which one a
 * 2-core machine spends itself on.
 */
record CpuUse(Map<Long, Used> byPid) {
  record Used(String group, Duration cpu) {}

  static CpuUse sample() {
    Map<Long, Used> used = new LinkedHashMap<>();
    long self = ProcessHandle.current().pid();
    ProcessHandle.allProcesses()
        .forEach(
            p -> {
              var info = p.info();
              info.totalCpuDuration()
                  .ifPresent(
                      cpu ->
                          used.put(
                              p.pid(),
                              new Used(
                                  p.pid() == self
                                      ? "benchmark (watch + creations)"
                                      : group(info.commandLine().orElse("")),
                                  cpu)));
            });
    return new CpuUse(used);
  }

  private static String group(String commandLine) {
    if (commandLine.contains("node-agent.jar")) {
      return "agents (all nodes)";
    }
    if (commandLine.contains("operator.jar")) {
      return "operator";
    }
    if (commandLine.contains("kube-apiserver")) {
      return "kube-apiserver";
    }
    if (commandLine.contains("/etcd ") || commandLine.startsWith("etcd")) {
      return "etcd";
    }
    for (String part :
        new String[] {
          "kubelet", "kube-proxy", "containerd", "kube-controller-manager", "kube-scheduler"
        }) {
      if (commandLine.contains(part)) {
        return part;
      }
    }
    return "other";
  }

  /** What was used since {@code before}; processes that ended meanwhile are not counted. */
  CpuUse minus(CpuUse before) {
    Map<Long, Used> diff = new LinkedHashMap<>();
    byPid.forEach(
        (pid, now) -> {
          Used then = before.byPid().get(pid);
          diff.put(
              pid, new Used(now.group(), then == null ? now.cpu() : now.cpu().minus(then.cpu())));
        });
    return new CpuUse(diff);
  }

  /** CPU used by everything but the benchmark's own process. */
  Duration othersTotal() {
    return byPid.values().stream()
        .filter(u -> !u.group().startsWith("benchmark"))
        .map(Used::cpu)
        .reduce(Duration.ZERO, Duration::plus);
  }

  /**
   * A Markdown table of CPU seconds per group over {@code wall} ({@code span} says which), with the
   * share of all cores.
   */
  String table(Duration wall, String span) {
    Map<String, Duration> groups = new LinkedHashMap<>();
    byPid.values().forEach(u -> groups.merge(u.group(), u.cpu(), Duration::plus));
    double available = wall.toMillis() / 1000.0 * Runtime.getRuntime().availableProcessors();
    StringBuilder md =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "CPU used %s (%.0f s wall, %.0f CPU-seconds available):%n%n",
                span,
                wall.toMillis() / 1000.0,
                available));
    md.append("| process | CPU | share of the machine |\n|---|---|---|\n");
    groups.entrySet().stream()
        .sorted(Map.Entry.<String, Duration>comparingByValue().reversed())
        .forEach(
            e -> {
              double seconds = e.getValue().toMillis() / 1000.0;
              md.append(
                  String.format(
                      Locale.ROOT,
                      "| %s | %.1f s | %.0f%% |%n",
                      e.getKey(),
                      seconds,
                      100 * seconds / available));
            });
    return md.toString();
  }
}
