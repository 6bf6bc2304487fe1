package dev.vrrp.agent.loop;

import dev.vrrp.agent.net.AddressProbe;
import dev.vrrp.agent.net.MacAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First-claim probes in rounds: every request that arrives while an interface's round runs joins
 * its next round, and a round probes all its addresses at once in one 300 ms. A thousand new
 * VirtualIPs claimed together cost a few rounds, not a thousand probes one after another.
 */
final class ProbeRounds {
  private static final Logger LOG = LoggerFactory.getLogger(ProbeRounds.class);

  /** What a request learns: the addresses another host answered for, or why it could not probe. */
  record Result(Map<InetAddress, AddressProbe.InUse> inUse, String error) {}

  private record Request(MacAddress mac, List<InetAddress> addresses, Consumer<Result> done) {}

  private final AddressProbe probe;
  private final ExecutorService thread;
  private final Map<String, List<Request>> waiting = new HashMap<>(); // guarded by this
  private final Set<String> running = new LinkedHashSet<>(); // guarded by this

  ProbeRounds(AddressProbe probe, ExecutorService thread) {
    this.probe = probe;
    this.thread = thread;
  }

  /** Probes the addresses in the interface's next round; {@code done} runs on the probe thread. */
  void probe(
      String interfaceName, MacAddress mac, List<InetAddress> addresses, Consumer<Result> done) {
    synchronized (this) {
      waiting
          .computeIfAbsent(interfaceName, i -> new ArrayList<>())
          .add(new Request(mac, addresses, done));
      if (!running.add(interfaceName)) {
        return; // joins the round after the one that runs
      }
    }
    thread.execute(() -> rounds(interfaceName));
  }

  private void rounds(String interfaceName) {
    while (true) {
      List<Request> round;
      synchronized (this) {
        round = waiting.remove(interfaceName);
        if (round == null || round.isEmpty()) {
          running.remove(interfaceName);
          return;
        }
      }
      List<InetAddress> all = new ArrayList<>();
      round.forEach(r -> all.addAll(r.addresses()));
      Result result;
      try {
        result = new Result(probe.probe(interfaceName, round.get(0).mac(), all), null);
      } catch (IOException | RuntimeException e) {
        LOG.warn("probing {} addresses on {} failed: {}", all.size(), interfaceName, e.toString());
        result = new Result(Map.of(), e.getMessage());
      }
      for (Request request : round) {
        try {
          request.done().accept(result);
        } catch (RuntimeException e) {
          LOG.error("a probe's answer could not be delivered", e);
        }
      }
    }
  }
}
