package dev.vrrp.agent.lab;

import dev.vrrp.lab.Netns;
import dev.vrrp.lab.Segment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client pinging an address every 5 ms with timestamps; the longest silence is the visible gap.
 */
public final class PingTrace {
  private static final Pattern REPLY = Pattern.compile("^\\[(\\d+\\.\\d+)] \\d+ bytes from");
  private final Process process;
  private final Path output;

  private PingTrace(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  public static PingTrace start(Segment segment, String client, String address, Path output)
      throws IOException {
    List<String> argv =
        address.contains(":")
            ? List.of("ping", "-6", "-D", "-n", "-i", "0.005", "-W", "1", address)
            : List.of("ping", "-D", "-n", "-i", "0.005", "-W", "1", address);
    Process p =
        Netns.processIn(segment.ns(client), argv)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    return new PingTrace(p, output);
  }

  /** Stops pinging and returns the longest interval between two consecutive replies, in ms. */
  public double stopAndMeasureGapMillis() throws IOException, InterruptedException {
    process.destroy();
    process.waitFor();
    double previous = Double.NaN;
    double gap = 0;
    for (String line : Files.readAllLines(output)) {
      Matcher m = REPLY.matcher(line);
      if (m.find()) {
        double t = Double.parseDouble(m.group(1));
        if (!Double.isNaN(previous)) {
          gap = Math.max(gap, t - previous);
        }
        previous = t;
      }
    }
    if (Double.isNaN(previous)) {
      throw new IllegalStateException("no reply at all in " + output);
    }
    return gap * 1000;
  }
}
