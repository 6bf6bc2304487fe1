package dev.vrrp.engine;

import static dev.vrrp.engine.TestRouter.INTERVAL;
import static dev.vrrp.engine.TestRouter.PEER;
import static dev.vrrp.engine.TestRouter.VIP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.packet.Advertisement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A claiming startup (the controller chose this router and knows of no master) waits one
 * Advertisement_Interval plus Skew_Time, enough to hear a master that is advertising, instead of
 * the RFC's Master_Down_Interval; everything else about the startup stays RFC 5798 6.4.1.
 */
class ClaimingStartupTest {

  @Test
  void aPlainStartupWaitsMasterDownInterval() {
    VrrpInstance instance = new VrrpInstance(config(200, true));

    List<Action> actions = instance.handle(new Event.Startup());

    assertThat(instance.state()).isEqualTo(VrrpState.BACKUP);
    assertThat(actions)
        .contains(
            new Action.ArmTimer(
                TimerKind.MASTER_DOWN, Timers.masterDownInterval(3, 200, INTERVAL)));
  }

  @Test
  void aClaimingStartupWaitsOneIntervalPlusSkewThenBecomesMaster() {
    VrrpInstance instance = new VrrpInstance(config(200, true));

    List<Action> actions = instance.handle(Event.Startup.claiming());

    assertThat(instance.state()).isEqualTo(VrrpState.BACKUP);
    Duration wait = INTERVAL.plus(Timers.skewTime(3, 200, INTERVAL));
    assertThat(actions).contains(new Action.ArmTimer(TimerKind.MASTER_DOWN, wait));
    assertThat(wait).isLessThan(Timers.masterDownInterval(3, 200, INTERVAL));
    instance.handle(new Event.TimerExpired(TimerKind.MASTER_DOWN));
    assertThat(instance.state()).isEqualTo(VrrpState.MASTER);
  }

  @Test
  void aMasterHeardWhileClaimingWinsAndTheFullIntervalAppliesAgain() {
    VrrpInstance instance = new VrrpInstance(config(200, true));
    instance.handle(Event.Startup.claiming());

    List<Action> heard =
        instance.handle(
            new Event.AdvertisementReceived(Advertisement.v3(7, 250, 30, List.of(VIP)), PEER));

    assertThat(heard)
        .contains(
            new Action.ArmTimer(
                TimerKind.MASTER_DOWN, Timers.masterDownInterval(3, 200, INTERVAL)));
    assertThat(instance.state()).isEqualTo(VrrpState.BACKUP);
    assertThat(instance.masterAddress()).isEqualTo(PEER);
  }

  @Test
  void withoutPreemptionALowerMasterHeardWhileClaimingKeepsTheAddress() {
    VrrpInstance instance = new VrrpInstance(config(200, false));
    instance.handle(Event.Startup.claiming());

    instance.handle(
        new Event.AdvertisementReceived(Advertisement.v3(7, 100, 30, List.of(VIP)), PEER));

    assertThat(instance.masterAddress()).isEqualTo(PEER);
    assertThat(instance.state()).isEqualTo(VrrpState.BACKUP);
  }

  @Test
  void aFaultClearedLaterWaitsTheFullInterval() {
    VrrpInstance instance = new VrrpInstance(config(200, true));
    instance.handle(new Event.FaultRaised("link"));
    instance.handle(Event.Startup.claiming());
    assertThat(instance.state()).isEqualTo(VrrpState.FAULT);

    List<Action> actions = instance.handle(new Event.FaultCleared("link"));

    assertThat(actions)
        .contains(
            new Action.ArmTimer(
                TimerKind.MASTER_DOWN, Timers.masterDownInterval(3, 200, INTERVAL)));
  }

  @Test
  void theOwnerStillGoesStraightToMaster() {
    VrrpInstance owner = new VrrpInstance(config(255, true));
    owner.handle(Event.Startup.claiming());
    assertThat(owner.state()).isEqualTo(VrrpState.MASTER);
  }

  private static InstanceConfig config(int priority, boolean preempt) {
    return TestRouter.v3(priority, preempt);
  }
}
