package dev.vrrp.lab;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./lab}: the whole product on this machine. {@code up} starts a background lab process (the
 * {@link Lab}: API server, chart, network namespaces, operator, agents) and waits until it is
 * ready; {@code fail}/{@code heal} ask it to pull and replug a node's cable; {@code down} stops it
 * and removes whatever is left, also after a crash. State lives in one directory.
 */
@Command(
    name = "lab",
    mixinStandardHelpOptions = true,
    subcommands = {
      LabCommand.Up.class,
      LabCommand.Serve.class,
      LabCommand.Fail.class,
      LabCommand.Heal.class,
      LabCommand.Status.class,
      LabCommand.Down.class
    },
    description =
        "A local vrrp-operator lab: kube-apiserver, the chart, three namespace nodes, a client.")
public final class LabCommand {
  static final String PREFIX = "vrrplab";
  private static final String VIPS = "virtualips.vrrp.dev";

  @Option(
      names = "--state",
      defaultValue = ".lab",
      description = "state directory (default: ${DEFAULT-VALUE})")
  Path state;

  @Option(
      names = "--repo",
      defaultValue = ".",
      description = "repository root (default: ${DEFAULT-VALUE})")
  Path repo;

  public static void main(String[] args) {
    // the CLI reads VirtualIPs generically; fabric8's note about v1alpha1 is noise to a lab user
    System.setProperty(
        "org.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils",
        "error");
    System.exit(new CommandLine(new LabCommand()).execute(args));
  }

  LabState state() {
    return new LabState(state.toAbsolutePath().normalize());
  }

  @Command(
      name = "up",
      description = "Start the lab (or show it, when it already runs) and apply examples/.")
  static final class Up implements Callable<Integer> {
    @CommandLine.ParentCommand LabCommand parent;

    @Option(names = "--no-examples", description = "do not apply examples/")
    boolean noExamples;

    @Override
    public Integer call() throws Exception {
      LabState state = parent.state();
      if (state.running()) {
        say("the lab is already up (pid " + state.pid().orElseThrow() + ")");
        printVips(state);
        printHints(state);
        return 0;
      }
      if (state.exists()) {
        say("a previous lab did not stop cleanly: cleaning up first");
        Cleanup.run(state, PREFIX, LabCommand::say);
      }
      Files.createDirectories(state.tmp());
      Path self =
          Path.of(LabCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      List<String> argv =
          List.of(
              ExternalTools.require("setsid"),
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-Xmx512m",
              "-Djava.io.tmpdir=" + state.tmp(),
              "-cp",
              self.toString(),
              LabCommand.class.getName(),
              "--state",
              state.dir().toString(),
              "--repo",
              parent.repo.toAbsolutePath().normalize().toString(),
              "serve");
      Process daemon =
          new ProcessBuilder(argv)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(state.log().toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      say("lab process started (pid " + daemon.pid() + "); progress:");
      if (!followUntilReady(state, daemon)) {
        say("the lab did not come up (its log is above); cleaning up");
        Cleanup.run(state, PREFIX, LabCommand::say);
        return 1;
      }
      if (!noExamples) {
        Path examples = parent.repo.resolve("examples");
        say("kubectl apply -f " + examples);
        kubectl(state, "apply", "-f", examples.toString());
        List<String> withoutMaster;
        try (KubernetesClient client = state.client()) {
          say(
              "waiting until every VirtualIP has a master (at most "
                  + MASTER_WAIT.toSeconds()
                  + " s)");
          long deadline = System.nanoTime() + MASTER_WAIT.toNanos();
          while (System.nanoTime() < deadline && !everyVipHasAMaster(client)) {
            Thread.sleep(500);
          }
          withoutMaster =
              vips(client).stream()
                  .filter(v -> master(v) == null)
                  .map(LabCommand::whyNoMaster)
                  .toList();
        }
        if (!withoutMaster.isEmpty()) {
          printVips(state);
          say(
              withoutMaster.size()
                  + " VirtualIP(s) have no master "
                  + MASTER_WAIT.toSeconds()
                  + " s after they were applied:");
          withoutMaster.forEach(line -> System.out.println("  " + line));
          say(
              "the lab is up, but not serving every example (logs: kubectl -n "
                  + Lab.NAMESPACE
                  + " logs, and "
                  + state.dir().resolve("cluster")
                  + ")");
          return 3;
        }
      }
      printVips(state);
      printHints(state);
      return 0;
    }

    private static boolean followUntilReady(LabState state, Process daemon) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      try (RandomAccessFile log = new RandomAccessFile(state.log().toFile(), "r")) {
        while (System.nanoTime() < deadline) {
          String line;
          while ((line = log.readLine()) != null) {
            System.out.println(
                "  "
                    + new String(
                        line.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
          }
          if (Files.exists(state.ready())) {
            return true;
          }
          if (!daemon.isAlive()) {
            return false;
          }
          Thread.sleep(200);
        }
      }
      return false;
    }
  }

  /** The background lab process; {@code up} starts it. */
  @Command(name = "serve", hidden = true)
  static final class Serve implements Callable<Integer> {
    @CommandLine.ParentCommand LabCommand parent;

    @Override
    public Integer call() throws Exception {
      LabState state = parent.state();
      Files.writeString(state.pidFile(), String.valueOf(ProcessHandle.current().pid()));
      Instant started = Instant.now();
      Consumer<String> progress =
          line ->
              System.out.printf(
                  "[%5.1fs] %s%n",
                  Duration.between(started, Instant.now()).toMillis() / 1000.0, line);
      Lab.Settings settings =
          Lab.Settings.defaults(state.dir(), PREFIX, parent.repo.toAbsolutePath().normalize());
      try (Lab lab = Lab.start(settings, progress)) {
        Files.writeString(
            state.nodes(),
            String.join("\n", settings.nodes().stream().map(Lab.Node::name).toList()));
        Files.createDirectories(state.requests());
        Files.writeString(state.ready(), lab.kubeconfig().toString());
        progress.accept("ready");
        while (true) {
          try (var requests = Files.list(state.requests())) {
            for (Path request :
                requests.filter(r -> r.toString().endsWith(".request")).sorted().toList()) {
              if (!handle(lab, request, progress)) {
                progress.accept(
                    "stopping: the nodes and their pods, the control plane, the network");
                Files.deleteIfExists(state.ready());
                return 0;
              }
            }
          }
          Thread.sleep(50);
        }
      } finally {
        progress.accept("stopped");
      }
    }

    /**
     * Carries out one request; false for "stop" (deleted once the lab is down, so the caller can
     * wait).
     */
    private static boolean handle(Lab lab, Path request, Consumer<String> progress)
        throws IOException {
      String[] words = Files.readString(request).strip().split(" ");
      if (words[0].equals("stop")) {
        return false;
      }
      try {
        switch (words[0]) {
          case "fail" -> lab.fail(words[1]);
          case "heal" -> lab.heal(words[1]);
          default -> throw new IllegalArgumentException("unknown request " + words[0]);
        }
        progress.accept(String.join(" ", words) + ": done");
      } catch (RuntimeException e) {
        progress.accept(String.join(" ", words) + ": " + e.getMessage());
      }
      Files.delete(request);
      return true;
    }
  }

  @Command(
      name = "fail",
      description = "Pull NODE's cable and kill its processes; show the failover.")
  static final class Fail implements Callable<Integer> {
    @CommandLine.ParentCommand LabCommand parent;

    @Parameters(paramLabel = "NODE")
    String node;

    @Override
    public Integer call() throws Exception {
      LabState state = parent.state();
      state.requireNode(node);
      try (KubernetesClient client = state.client()) {
        Map<String, List<String>> held = new LinkedHashMap<>();
        for (GenericKubernetesResource vip : vips(client)) {
          if (node.equals(master(vip))) {
            held.put(vip.getMetadata().getName(), addresses(vip));
          }
        }
        long start = System.nanoTime();
        state.request("fail " + node);
        say(node + ": cable pulled, processes killed");
        if (held.isEmpty()) {
          say(node + " was master of no VirtualIP");
        } else {
          watchFailover(state, client, held, start);
        }
      }
      printVips(state);
      return 0;
    }

    /**
     * For each VirtualIP the node held: when another node holds its address, and when status says
     * so.
     */
    private void watchFailover(
        LabState state, KubernetesClient client, Map<String, List<String>> held, long start)
        throws InterruptedException {
      Map<String, String> wire = new LinkedHashMap<>();
      Map<String, String> status = new LinkedHashMap<>();
      long deadline = start + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline
          && (wire.size() < held.size() || status.size() < held.size())) {
        for (Map.Entry<String, List<String>> vip : held.entrySet()) {
          String name = vip.getKey();
          if (!wire.containsKey(name)) {
            holder(state, vip.getValue().get(0), node)
                .ifPresent(
                    h -> {
                      wire.put(name, h);
                      say(
                          String.format(
                              "  %-14s %s now on %s (%.2f s after the cable was pulled)",
                              name, vip.getValue().get(0), h, (System.nanoTime() - start) / 1e9));
                    });
          }
          if (!status.containsKey(name)) {
            GenericKubernetesResource now =
                client
                    .genericKubernetesResources("vrrp.dev/v1alpha1", "VirtualIP")
                    .withName(name)
                    .get();
            String master = now == null ? null : master(now);
            if (master != null && !master.equals(node)) {
              status.put(name, master);
              say(
                  String.format(
                      "  %-14s status.master = %s (%.2f s)",
                      name, master, (System.nanoTime() - start) / 1e9));
            }
          }
        }
        Thread.sleep(25);
      }
      for (String name : held.keySet()) {
        if (!wire.containsKey(name)) {
          say(
              "  "
                  + name
                  + ": no other node holds its address after 20 s (is another node selected and healthy?)");
        }
      }
    }

    /** Which other lab node has the address on its eth0 (the data plane, not the status). */
    private static Optional<String> holder(LabState state, String address, String failed) {
      String ip = address.substring(0, address.indexOf('/'));
      for (String node : state.nodeNames().stream().filter(n -> !n.equals(failed)).toList()) {
        String out =
            Netns.tryIn(PREFIX + "-" + node, "ip", "-o", "address", "show", "dev", "eth0").output();
        if (out.contains(" " + ip + "/")) {
          return Optional.of(node);
        }
      }
      return Optional.empty();
    }
  }

  @Command(name = "heal", description = "Plug NODE back in; its agent starts again.")
  static final class Heal implements Callable<Integer> {
    @CommandLine.ParentCommand LabCommand parent;

    @Parameters(paramLabel = "NODE")
    String node;

    @Override
    public Integer call() throws Exception {
      LabState state = parent.state();
      state.requireNode(node);
      Instant healed = Instant.now();
      state.request("heal " + node);
      say(
          node
              + ": cable back in; its agent starts (a few seconds), VirtualIPs that prefer it move back when "
              + "preemption allows");
      try (KubernetesClient client = state.client()) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && !reporting(client, node, healed)) {
          Thread.sleep(250);
        }
      }
      printVips(state);
      return 0;
    }

    /** Whether the node's agent has written every entry it owns since {@code since}. */
    private static boolean reporting(KubernetesClient client, String node, Instant since) {
      return vips(client).stream()
          .allMatch(
              vip ->
                  !selects(vip, node)
                      || entries(vip).stream()
                          .anyMatch(
                              e ->
                                  node.equals(e.get("name"))
                                      && e.get("heartbeatTime") instanceof String t
                                      && Instant.parse(t).isAfter(since)));
    }

    private static boolean selects(GenericKubernetesResource vip, String node) {
      Object priorities = status(vip).get("priorities");
      return priorities instanceof List<?> list
          && list.stream().anyMatch(p -> p instanceof Map<?, ?> m && node.equals(m.get("node")));
    }
  }

  @Command(name = "status", description = "Show the lab and kubectl get vips -o wide.")
  static final class Status implements Callable<Integer> {
    @CommandLine.ParentCommand LabCommand parent;

    @Override
    public Integer call() throws Exception {
      LabState state = parent.state();
      if (!state.running()) {
        say(
            "the lab is not running"
                + (state.exists() ? " (leftovers from a crash: ./lab down removes them)" : ""));
        return 1;
      }
      say("the lab is up (pid " + state.pid().orElseThrow() + ")");
      printVips(state);
      printHints(state);
      return 0;
    }
  }

  @Command(
      name = "down",
      description = "Stop the lab and remove its namespaces, processes and files.")
  static final class Down implements Callable<Integer> {
    @CommandLine.ParentCommand LabCommand parent;

    @Override
    public Integer call() throws Exception {
      Cleanup.run(parent.state(), PREFIX, LabCommand::say);
      return 0;
    }
  }

  static void printVips(LabState state) throws Exception {
    say("");
    say("$ kubectl get vips -o wide");
    kubectl(state, "get", "vips", "-o", "wide");
  }

  static void printHints(LabState state) {
    say("");
    say("Use it:");
    say("  export KUBECONFIG=" + state.kubeconfig());
    say("  alias kubectl=" + ApiServer.binary("kubectl") + "   # or ./lab kubectl ...");
    say("  kubectl get vip web -o yaml                  # status.nodes, conditions");
    say("  ip netns exec " + PREFIX + "-client ping 192.0.2.100   # the client reaches the VIP");
    say("  ./lab fail node-a ; ./lab heal node-a         # a failover, live");
    say("  ./lab down                                    # remove everything");
    say(
        "Logs: kubectl -n "
            + Lab.NAMESPACE
            + " logs ... (pods), "
            + state.dir().resolve("cluster")
            + "/<host>/*.log (kubelet, containerd, control plane), "
            + state.log()
            + " (the lab)");
  }

  static void kubectl(LabState state, String... args) throws Exception {
    List<String> argv =
        new ArrayList<>(
            List.of(
                ApiServer.binary("kubectl").toString(),
                "--kubeconfig",
                state.kubeconfig().toString()));
    argv.addAll(List.of(args));
    int exit = new ProcessBuilder(argv).inheritIO().start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException("kubectl " + String.join(" ", args) + " exited with " + exit);
    }
  }

  static List<GenericKubernetesResource> vips(KubernetesClient client) {
    return client.genericKubernetesResources("vrrp.dev/v1alpha1", "VirtualIP").list().getItems();
  }

  /**
   * How long {@code up} waits for every example to have a master before it says which have none,
   * and why.
   */
  static final Duration MASTER_WAIT = Duration.ofSeconds(60);

  /**
   * One line: the VirtualIP, its Ready condition's reason and message, and each node that is not
   * serving.
   */
  @SuppressWarnings("unchecked")
  static String whyNoMaster(GenericKubernetesResource vip) {
    StringBuilder line = new StringBuilder(vip.getMetadata().getName()).append(": ");
    Object conditions = status(vip).get("conditions");
    if (conditions instanceof List<?> list) {
      for (Object c : list) {
        Map<String, Object> condition = (Map<String, Object>) c;
        if ("Ready".equals(condition.get("type"))) {
          line.append(condition.get("reason")).append(": ").append(condition.get("message"));
        }
      }
    }
    if (line.toString().endsWith(": ")) {
      line.append("no Ready condition yet (is the operator running?)");
    }
    for (Map<String, Object> entry : entries(vip)) {
      if ("FAULT".equals(entry.get("state"))) {
        line.append("; ").append(entry.get("name")).append(" FAULT: ").append(entry.get("message"));
      }
    }
    return line.toString();
  }

  static boolean everyVipHasAMaster(KubernetesClient client) {
    return vips(client).stream().allMatch(v -> master(v) != null);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> status(GenericKubernetesResource vip) {
    Object status = vip.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  static String master(GenericKubernetesResource vip) {
    return (String) status(vip).get("master");
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> entries(GenericKubernetesResource vip) {
    Object nodes = status(vip).get("nodes");
    return nodes instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }

  @SuppressWarnings("unchecked")
  static List<String> addresses(GenericKubernetesResource vip) {
    Object spec = vip.getAdditionalProperties().get("spec");
    return spec instanceof Map<?, ?> m && m.get("addresses") instanceof List<?> l
        ? (List<String>) l
        : List.of();
  }

  static void say(String line) {
    System.out.println(line);
  }

  /** The files of a lab. */
  record LabState(Path dir) {
    Path pidFile() {
      return dir.resolve("lab.pid");
    }

    Path log() {
      return dir.resolve("lab.log");
    }

    Path ready() {
      return dir.resolve("ready");
    }

    Path nodes() {
      return dir.resolve("nodes");
    }

    Path requests() {
      return dir.resolve("requests");
    }

    Path tmp() {
      return dir.resolve("tmp");
    }

    Path kubeconfig() {
      return dir.resolve("kubeconfig");
    }

    boolean exists() {
      return Files.exists(dir);
    }

    Optional<Long> pid() {
      try {
        return Optional.of(Long.parseLong(Files.readString(pidFile()).strip()));
      } catch (IOException | NumberFormatException e) {
        return Optional.empty();
      }
    }

    Optional<ProcessHandle> process() {
      return pid().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
    }

    boolean running() {
      return process().isPresent() && Files.exists(ready());
    }

    List<String> nodeNames() {
      try {
        return Files.readAllLines(nodes()).stream().filter(l -> !l.isBlank()).toList();
      } catch (IOException e) {
        return List.of();
      }
    }

    void requireNode(String node) {
      if (!running()) {
        throw new CommandLine.ParameterException(
            new CommandLine(new LabCommand()), "the lab is not running (./lab up starts it)");
      }
      if (!nodeNames().contains(node)) {
        throw new CommandLine.ParameterException(
            new CommandLine(new LabCommand()),
            "NODE: no lab node called '" + node + "'; the nodes are " + nodeNames());
      }
    }

    /** Hands a request to the lab process (waiting is up to the caller). */
    Path send(String words) throws IOException {
      Files.createDirectories(requests());
      Path request = requests().resolve(System.nanoTime() + ".request");
      Path partial = requests().resolve(System.nanoTime() + ".writing");
      Files.writeString(partial, words);
      Files.move(partial, request, StandardCopyOption.ATOMIC_MOVE);
      return request;
    }

    /** Hands a request to the lab process and waits until it has carried it out. */
    void request(String words) throws IOException, InterruptedException {
      Path request = send(words);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (Files.exists(request)) {
        if (System.nanoTime() > deadline || process().isEmpty()) {
          throw new IllegalStateException(
              "the lab process did not carry out '" + words + "'; see " + log());
        }
        Thread.sleep(20);
      }
    }

    KubernetesClient client() throws IOException {
      return new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig())))
          .build();
    }
  }
}
