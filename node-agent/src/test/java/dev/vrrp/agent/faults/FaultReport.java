package dev.vrrp.agent.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/** The suite's figures per fault as a Markdown table, for benchmarks/results and the notes. */
final class FaultReport {
  private FaultReport() {}

  static String markdown(List<FaultRun.Result> results, String setup) {
    StringBuilder md = new StringBuilder();
    md.append("# Fault suite\n\n").append(setup).append("\n\n");
    md.append(
        "| fault | events | client gap p50 | client gap max | no master max | two masters, fault"
            + " to undo (max) | two masters after undo (max) | VIP on two nodes, longest (max) | VIP"
            + " on two nodes after undo, longest (max) | stray ARP |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (Fault fault : Fault.values()) {
      List<FaultRun.Result> own = results.stream().filter(r -> r.fault() == fault).toList();
      if (own.isEmpty()) {
        continue;
      }
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %d |%n",
              fault.name().toLowerCase(Locale.ROOT).replace('_', ' '),
              own.size(),
              percentile(own, r -> r.whole().clientGapMs(), 0.5),
              percentile(own, r -> r.whole().clientGapMs(), 1.0),
              percentile(own, r -> r.whole().noMasterMs(), 1.0),
              percentile(own, r -> r.during().dualMasterMs(), 1.0),
              percentile(own, r -> r.after().dualMasterMs(), 1.0),
              percentile(own, FaultRun.Result::onTwoNodesMs, 1.0),
              percentile(own, FaultRun.Result::onTwoNodesAfterMs, 1.0),
              own.stream().mapToInt(r -> r.whole().strayArp()).sum()));
    }
    return md.toString();
  }

  static void write(Path file, String markdown) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, markdown);
  }

  static double percentile(
      List<FaultRun.Result> results, ToDoubleFunction<FaultRun.Result> figure, double p) {
    double[] v = results.stream().mapToDouble(figure).sorted().toArray();
    if (v.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p * v.length) - 1; // nearest rank
    return v[Math.max(0, Math.min(v.length - 1, rank))];
  }

  /** One line per event, for the log: what happened when. */
  static String events(List<FaultRun.Result> results) {
    StringBuilder out = new StringBuilder();
    for (FaultRun.Result r : results) {
      out.append(
          String.format(
              Locale.ROOT,
              "%3d %-11s %s gap %5.0f ms, no master %5.0f ms, two masters %4.0f/%4.0f ms, on two"
                  + " nodes %5.0f ms, stray ARP %d %s, masters %s%n",
              r.n(),
              r.fault(),
              r.target(),
              r.whole().clientGapMs(),
              r.whole().noMasterMs(),
              r.during().dualMasterMs(),
              r.after().dualMasterMs(),
              r.onTwoNodesMs(),
              r.whole().strayArp(),
              new TreeSet<>(r.whole().strayArpFrom()),
              r.whole().masters()));
    }
    return out.toString();
  }
}
