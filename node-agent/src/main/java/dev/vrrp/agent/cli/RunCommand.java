package dev.vrrp.agent.cli;

import dev.vrrp.agent.admin.AdminServer;
import dev.vrrp.agent.config.AgentConfig;
import dev.vrrp.agent.config.ConfigException;
import dev.vrrp.agent.config.ConfigLoader;
import dev.vrrp.agent.loop.NodeAgent;
import dev.vrrp.agent.net.SelfCheck;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code node-agent run --config FILE}: standalone, no Kubernetes. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Run the VRRP instances of a YAML config file until SIGTERM, then resign gracefully.")
final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = "--config", required = true, description = "the YAML config file")
  Path config;

  @Override
  public Integer call() throws Exception {
    AgentConfig agentConfig;
    try {
      agentConfig = ConfigLoader.load(config);
    } catch (ConfigException e) {
      e.problems().forEach(System.err::println);
      return 2;
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SelfCheck selfCheck = new SelfCheck();
    NodeAgent agent = NodeAgent.onThisHost(registry, selfCheck);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("stopping: resigning every master with priority 0");
                  agent.shutdown();
                  agent.close();
                  stopped.countDown();
                },
                "shutdown"));
    try (AdminServer admin =
        new AdminServer(
            agentConfig.adminAddress(),
            registry,
            () -> new ArrayList<>(agent.status()),
            selfCheck::reason)) {
      agent.start(agentConfig.instances());
      LOG.info(
          "running {} instance(s); admin on port {}", agentConfig.instances().size(), admin.port());
      stopped.await();
    } catch (IOException e) {
      System.err.println("node-agent: " + e.getMessage());
      return 1;
    }
    return 0;
  }
}
