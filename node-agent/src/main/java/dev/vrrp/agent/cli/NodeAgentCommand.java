package dev.vrrp.agent.cli;

import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code node-agent}: the per-node VRRP daemon and its tools. */
@Command(
    name = "node-agent",
    mixinStandardHelpOptions = true,
    version = "node-agent 0.1.0",
    description = "VRRP (RFC 5798 / RFC 3768) agent: holds, moves and announces virtual IPs.",
    subcommands = {
      RunCommand.class,
      KubernetesCommand.class,
      SniffCommand.class,
      ImportCommand.class
    })
public final class NodeAgentCommand implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    // a thread that dies of a Throwable says so in the log, not only on a stderr nobody reads
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, failure) ->
            LoggerFactory.getLogger(NodeAgentCommand.class)
                .error("thread {} died", thread.getName(), failure));
    int code = new CommandLine(new NodeAgentCommand()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }
}
