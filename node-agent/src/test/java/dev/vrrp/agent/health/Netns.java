package dev.vrrp.agent.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace a test made and must remove. Names carry this JVM's pid and a counter, so two
 * test runs (or two tests) never share one; every namespace made is remembered until deleted, so an
 * {@code @AfterAll} can sweep up after a test that died half-way.
 */
final class Netns implements AutoCloseable {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

  private final String ip;
  private final String name;

  private Netns(String ip, String name) {
    this.ip = ip;
    this.name = name;
  }

  /** "hc" + pid + a counter: short enough to build interface names from (at most 15 characters). */
  static String uniqueBase() {
    return "hc" + ProcessHandle.current().pid() + COUNTER.incrementAndGet();
  }

  static Netns create(String ip, String name) {
    LIVE.add(name); // before creating: if "add" half-works, cleanup still tries
    Commands.run(List.of(ip, "netns", "add", name));
    return new Netns(ip, name);
  }

  /** Deletes every namespace this JVM made and has not deleted yet. */
  static void deleteLeftovers(String ip) {
    for (String name : List.copyOf(LIVE)) {
      Commands.tryRun(List.of(ip, "netns", "del", name));
      LIVE.remove(name);
    }
  }

  String name() {
    return name;
  }

  /** {@code ip -n <name> <args>}: configures this namespace only. */
  void ip(String... args) {
    List<String> command = new ArrayList<>(List.of(ip, "-n", name));
    command.addAll(List.of(args));
    Commands.run(command);
  }

  /** Runs a command inside this namespace. */
  void exec(String... command) {
    Commands.run(inside(command));
  }

  List<String> inside(String... command) {
    List<String> full = new ArrayList<>(List.of(ip, "netns", "exec", name));
    full.addAll(List.of(command));
    return full;
  }

  @Override
  public void close() {
    // Deleting the namespace destroys the veth ends inside it, so there is nothing else to undo.
    Commands.tryRun(List.of(ip, "netns", "del", name));
    LIVE.remove(name);
  }
}
