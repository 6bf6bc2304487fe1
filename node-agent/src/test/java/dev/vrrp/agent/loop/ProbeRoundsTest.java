package dev.vrrp.agent.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vrrp.agent.net.AddressProbe;
import dev.vrrp.agent.net.MacAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many claims at once share rounds: a thousand new VirtualIPs do not wait 300 ms each in a row. */
class ProbeRoundsTest {
  private static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:01");
  private final ExecutorService thread = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    thread.shutdownNow();
  }

  @Test
  void requestsThatArriveDuringARoundShareTheNextOneAndEachLearnsItsOwnAnswer() throws Exception {
    CountDownLatch firstRoundRuns = new CountDownLatch(1);
    CountDownLatch releaseFirstRound = new CountDownLatch(1);
    List<Integer> roundSizes = new CopyOnWriteArrayList<>();
    InetAddress taken = InetAddress.getByName("192.0.2.7");
    AddressProbe probe =
        (iface, mac, addresses) -> {
          roundSizes.add(addresses.size());
          if (roundSizes.size() == 1) {
            firstRoundRuns.countDown();
            try {
              releaseFirstRound.await();
            } catch (InterruptedException e) {
              throw new IOException(e);
            }
          }
          return addresses.contains(taken)
              ? Map.of(taken, new AddressProbe.InUse(taken, MacAddress.parse("02:00:00:00:00:02")))
              : Map.of();
        };
    ProbeRounds rounds = new ProbeRounds(probe, thread);
    Map<String, ProbeRounds.Result> results = new ConcurrentHashMap<>();

    rounds.probe(
        "eth0", MAC, List.of(InetAddress.getByName("192.0.2.1")), r -> results.put("first", r));
    firstRoundRuns.await();
    for (int i = 2; i <= 100; i++) {
      String name = "vip-" + i;
      rounds.probe(
          "eth0", MAC, List.of(InetAddress.getByName("192.0.2." + i)), r -> results.put(name, r));
    }
    releaseFirstRound.countDown();

    await().until(() -> results.size() == 100);
    assertThat(roundSizes)
        .as("one round for the first, one for the 99 that came meanwhile")
        .containsExactly(1, 99);
    assertThat(results.get("vip-7").inUse()).containsKey(taken);
    assertThat(results.get("vip-8").inUse()).doesNotContainKey(InetAddress.getByName("192.0.2.8"));
  }
}
