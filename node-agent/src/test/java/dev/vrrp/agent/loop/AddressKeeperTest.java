package dev.vrrp.agent.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vrrp.agent.net.AddressManager;
import dev.vrrp.agent.net.AddressManager.InterfaceAddress;
import dev.vrrp.agent.net.AddressProbe;
import dev.vrrp.agent.net.HostAddress;
import dev.vrrp.agent.net.MacAddress;
import dev.vrrp.api.vocabulary.Reason;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The first claim's probe and what its answer means: another host that answers, or probes without
 * running VRRP, keeps the address; a peer of the VRID that probes at the same moment is VRRP's to
 * settle.
 */
class AddressKeeperTest {
  private static final MacAddress OWN = MacAddress.parse("02:00:00:00:00:01");
  private static final MacAddress HIGHER = MacAddress.parse("02:00:00:00:00:09");
  private static final InetAddress VIP = address("192.0.2.10");

  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
  private final List<List<InterfaceAddress>> added = new CopyOnWriteArrayList<>();
  private final AtomicReference<Reason> fault = new AtomicReference<>();
  private final AtomicBoolean free = new AtomicBoolean();
  private AddressKeeper keeper;

  @AfterEach
  void stop() {
    loop.shutdownNow();
  }

  @Test
  void aRivalProberThatAdvertisesForTheVridIsLeftToTheElection() throws Exception {
    // a and b became master at once; b (the higher MAC) resigned when it heard a's priority
    claim(new AddressProbe.InUse(VIP, HIGHER, true), true);

    await().untilTrue(free);
    assertThat(fault.get()).isNull();
    assertThat(added).hasSize(1);
  }

  @Test
  void aRivalProberNobodyHeardAdvertiseGoesFirst() throws Exception {
    claim(new AddressProbe.InUse(VIP, HIGHER, true), false);

    await().until(() -> fault.get() != null);
    assertThat(fault.get()).isEqualTo(Reason.ADDRESS_IN_USE);
    assertThat(added).isEmpty();
  }

  @Test
  void anAnswerKeepsTheAddressFromUsEvenWhenAPeerAdvertised() throws Exception {
    claim(new AddressProbe.InUse(VIP, HIGHER), true);

    await().until(() -> fault.get() != null);
    assertThat(fault.get()).isEqualTo(Reason.ADDRESS_IN_USE);
    assertThat(added).isEmpty();
  }

  /** Takes the address with a probe that finds {@code found}, hearing a peer meanwhile or not. */
  private void claim(AddressProbe.InUse found, boolean peerAdvertisesDuringTheProbe)
      throws Exception {
    AddressProbe probe =
        (iface, mac, addresses) -> {
          if (peerAdvertisesDuringTheProbe) {
            loop.submit(() -> keeper.peerHeard());
          }
          sleep();
          return Map.of(found.address(), found);
        };
    ProbeRounds rounds = new ProbeRounds(probe, Executors.newSingleThreadExecutor());
    keeper =
        new AddressKeeper(
            "VI_1",
            "eth0",
            List.of(new InterfaceAddress(VIP, 24)),
            new RecordingManager(),
            rounds,
            loop,
            OWN,
            Duration.ofSeconds(3),
            StartOptions.Probe.UNTIL_HELD,
            new AddressKeeper.Instance() {
              @Override
              public void faultRaised(String why, Reason reason) {
                fault.set(reason);
              }

              @Override
              public void faultCleared(String why) {}

              @Override
              public void probedFree() {
                free.set(true);
              }

              @Override
              public boolean master() {
                return true;
              }
            });
    loop.submit(() -> keeper.take()).get();
  }

  private static void sleep() {
    try {
      Thread.sleep(50); // the peer's advertisement reaches the loop while the probe listens
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private final class RecordingManager implements AddressManager {
    @Override
    public void add(String interfaceName, List<InterfaceAddress> addresses, Duration lease) {
      added.add(addresses);
    }

    @Override
    public void renew(String interfaceName, List<InterfaceAddress> addresses, Duration lease) {}

    @Override
    public void remove(String interfaceName, List<InterfaceAddress> addresses) {}

    @Override
    public List<HostAddress> list() {
      return List.of();
    }
  }
}
