package dev.vrrp.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vrrp.packet.Advertisement;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Addresses joining or leaving a running instance (VirtualIPs sharing a VRID): no failover, ever.
 */
class AddressChangeTest {
  private static final InetAddress SELF = ip("192.0.2.11");
  private static final InetAddress PEER = ip("192.0.2.12");
  private static final InetAddress VIP1 = ip("198.51.100.1");
  private static final InetAddress VIP2 = ip("198.51.100.2");
  private static final InetAddress VIP3 = ip("198.51.100.3");

  @Test
  void aMasterAddsAndRemovesOnlyTheDifferenceAndAdvertisesTheNewListAtOnce() {
    VrrpInstance master = master(3, List.of(VIP1, VIP2));

    List<Action> actions = master.handle(new Event.AddressesChanged(List.of(VIP1, VIP3)));

    assertThat(actions).contains(new Action.ChangeAddresses(List.of(VIP3), List.of(VIP2)));
    assertThat(actions).contains(new Action.SendAdvertisement(100));
    assertThat(actions)
        .noneMatch(a -> a instanceof Action.StateChanged || a instanceof Action.RemoveAddresses);
    assertThat(master.state()).isEqualTo(VrrpState.MASTER);
    assertThat(master.advertisement(100).addresses()).containsExactly(VIP1, VIP3);
  }

  @Test
  void aBackupKeepsWaitingAndTouchesNoAddress() {
    VrrpInstance backup = new VrrpInstance(config(3, 100, List.of(VIP1)));
    backup.handle(new Event.Startup());

    List<Action> actions = backup.handle(new Event.AddressesChanged(List.of(VIP1, VIP2)));

    assertThat(actions).isEmpty();
    assertThat(backup.state()).isEqualTo(VrrpState.BACKUP);
    // the master, changed later or earlier, still holds it back: v3 counts the mismatch and carries
    // on
    List<Action> heard =
        backup.handle(
            new Event.AdvertisementReceived(Advertisement.v3(7, 200, 100, List.of(VIP1)), PEER));
    assertThat(heard)
        .contains(new Action.AddressMismatch(PEER))
        .anyMatch(a -> a instanceof Action.ArmTimer arm && arm.timer() == TimerKind.MASTER_DOWN);
    assertThat(backup.state()).isEqualTo(VrrpState.BACKUP);
  }

  @Test
  void theSameListChangesNothing() {
    VrrpInstance master = master(3, List.of(VIP1, VIP2));
    assertThat(master.handle(new Event.AddressesChanged(List.of(VIP2, VIP1)))).isEmpty();
  }

  @Test
  void vrrpV2RefusesBecauseItsBackupsWouldDropTheMastersAdvertisements() {
    VrrpInstance master = master(2, List.of(VIP1));
    assertThat(master.changesAddressesLive()).as("a v2 instance is restarted instead").isFalse();
    assertThat(master(3, List.of(VIP1)).changesAddressesLive()).isTrue();
    assertThatThrownBy(() -> master.handle(new Event.AddressesChanged(List.of(VIP1, VIP2))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("changesAddressesLive");
    assertThat(master.advertisement(100).addresses()).containsExactly(VIP1);
  }

  @Test
  void anAddressOfTheOtherFamilyIsRefusedAndTheOldListStays() {
    VrrpInstance master = master(3, List.of(VIP1));
    assertThatThrownBy(
            () -> master.handle(new Event.AddressesChanged(List.of(VIP1, ip("2001:db8::5")))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(master.advertisement(100).addresses()).containsExactly(VIP1);
  }

  private static VrrpInstance master(int version, List<InetAddress> addresses) {
    VrrpInstance instance = new VrrpInstance(config(version, 100, addresses));
    instance.handle(new Event.Startup());
    instance.handle(new Event.TimerExpired(TimerKind.MASTER_DOWN));
    assertThat(instance.state()).isEqualTo(VrrpState.MASTER);
    return instance;
  }

  private static InstanceConfig config(int version, int priority, List<InetAddress> addresses) {
    return new InstanceConfig(
        version, 7, priority, Duration.ofSeconds(1), true, Duration.ZERO, addresses, SELF, null);
  }

  private static InetAddress ip(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
