package dev.vrrp.engine;

import static dev.vrrp.engine.TestRouter.INTERVAL;
import static dev.vrrp.engine.TestRouter.PEER;
import static dev.vrrp.engine.TestRouter.VIP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.packet.Advertisement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Planned maintenance ({@link Event.DrainChanged}): a draining master hands over with priority 0 at
 * once and stays a backup at the lowest priority, so it serves only when no other router is there;
 * leaving maintenance restores the health priority.
 */
class DrainTest {

  @Test
  void aDrainingMasterResignsWithPriorityZeroAndStaysBackupAtTheLowestPriority() {
    VrrpInstance instance = master(200);

    List<Action> actions = instance.handle(new Event.DrainChanged(true));

    assertThat(actions)
        .containsSubsequence(new Action.SendAdvertisement(0), new Action.RemoveAddresses());
    assertThat(actions)
        .contains(
            new Action.ArmTimer(TimerKind.MASTER_DOWN, Timers.masterDownInterval(3, 1, INTERVAL)));
    assertThat(instance.state()).isEqualTo(VrrpState.BACKUP);
    assertThat(instance.effectivePriority()).isEqualTo(1);
    assertThat(instance.draining()).isTrue();
  }

  @Test
  void aDrainingBackupDoesNotPreemptALowerPriorityMaster() {
    VrrpInstance instance = new VrrpInstance(config(200, true));
    instance.handle(new Event.Startup());
    instance.handle(new Event.DrainChanged(true));

    List<Action> heard = instance.handle(advertisement(100));

    // the advertisement is accepted as the master's (timer reset), not discarded to preempt
    assertThat(heard)
        .contains(
            new Action.ArmTimer(TimerKind.MASTER_DOWN, Timers.masterDownInterval(3, 1, INTERVAL)));
    assertThat(instance.masterAddress()).isEqualTo(PEER);
  }

  @Test
  void aDrainingBackupStillTakesOverWhenNobodyElseIsThere() {
    VrrpInstance instance = master(200);
    instance.handle(new Event.DrainChanged(true));

    instance.handle(new Event.TimerExpired(TimerKind.MASTER_DOWN));

    assertThat(instance.state()).isEqualTo(VrrpState.MASTER);
    assertThat(instance.effectivePriority()).isEqualTo(1);
  }

  @Test
  void healthChangesWhileDrainingApplyWhenTheDrainEnds() {
    VrrpInstance instance = master(200);
    instance.handle(new Event.DrainChanged(true));

    assertThat(instance.handle(new Event.PriorityChanged(150))).isEmpty();
    assertThat(instance.effectivePriority()).isEqualTo(1);

    instance.handle(new Event.DrainChanged(false));
    assertThat(instance.effectivePriority()).isEqualTo(150);
    assertThat(instance.draining()).isFalse();
  }

  @Test
  void aLastResortMasterAdvertisesItsRestoredPriorityWhenTheDrainEnds() {
    VrrpInstance instance = master(200);
    instance.handle(new Event.DrainChanged(true));
    instance.handle(new Event.TimerExpired(TimerKind.MASTER_DOWN));

    List<Action> actions = instance.handle(new Event.DrainChanged(false));

    assertThat(actions).contains(new Action.SendAdvertisement(200));
    assertThat(instance.state()).isEqualTo(VrrpState.MASTER);
  }

  @Test
  void repeatingTheSameDrainStateDoesNothing() {
    VrrpInstance instance = master(200);
    instance.handle(new Event.DrainChanged(true));

    assertThat(instance.handle(new Event.DrainChanged(true))).isEmpty();
    assertThat(new VrrpInstance(config(200, true)).handle(new Event.DrainChanged(false))).isEmpty();
  }

  @Test
  void theAddressOwnerIgnoresTheDrain() {
    VrrpInstance owner = new VrrpInstance(config(255, true));
    owner.handle(new Event.Startup());

    assertThat(owner.handle(new Event.DrainChanged(true))).isEmpty();
    assertThat(owner.state()).isEqualTo(VrrpState.MASTER);
  }

  private static VrrpInstance master(int priority) {
    VrrpInstance instance = new VrrpInstance(config(priority, true));
    instance.handle(new Event.Startup());
    instance.handle(new Event.TimerExpired(TimerKind.MASTER_DOWN));
    assertThat(instance.state()).isEqualTo(VrrpState.MASTER);
    return instance;
  }

  private static Event advertisement(int priority) {
    return new Event.AdvertisementReceived(Advertisement.v3(7, priority, 30, List.of(VIP)), PEER);
  }

  private static InstanceConfig config(int priority, boolean preempt) {
    return TestRouter.v3(priority, preempt);
  }
}
