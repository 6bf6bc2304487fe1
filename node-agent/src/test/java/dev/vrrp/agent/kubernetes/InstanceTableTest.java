package dev.vrrp.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.agent.config.ConfigLoader;
import dev.vrrp.agent.config.InstanceSettings;
import dev.vrrp.agent.kubernetes.InstanceTable.ChangeAddresses;
import dev.vrrp.agent.kubernetes.InstanceTable.ChangeInterval;
import dev.vrrp.agent.kubernetes.InstanceTable.ChangePriority;
import dev.vrrp.agent.kubernetes.InstanceTable.Fault;
import dev.vrrp.agent.kubernetes.InstanceTable.Release;
import dev.vrrp.agent.kubernetes.InstanceTable.Restart;
import dev.vrrp.agent.kubernetes.InstanceTable.Start;
import dev.vrrp.agent.kubernetes.InstanceTable.Stop;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InstanceTableTest {
  private final InstanceTable table = new InstanceTable();

  @Test
  void aNewVirtualIpStartsItsOwnInstanceOnce() throws Exception {
    table.serve("web", settings("web", 7, "192.0.2.1/24", "1s", 3));
    assertThat(table.plan())
        .singleElement()
        .isInstanceOfSatisfying(
            Start.class,
            start -> {
              assertThat(start.settings().name()).isEqualTo("web");
              assertThat(start.virtualIps()).containsExactly("web");
            });
    // the same decision again (a status update of the VirtualIP): nothing to do
    table.serve("web", settings("web", 7, "192.0.2.1/24", "1s", 3));
    assertThat(table.plan()).isEmpty();
  }

  @Test
  void joiningASharedVridChangesTheRunningInstancesAddressesInsteadOfRestartingIt()
      throws Exception {
    table.serve("a", settings("a", 7, "192.0.2.1/24", "1s", 3));
    table.plan();

    table.serve("b", settings("b", 7, "192.0.2.2/24", "1s", 3));

    assertThat(table.plan())
        .singleElement()
        .isInstanceOfSatisfying(
            ChangeAddresses.class,
            change -> {
              assertThat(change.settings().name())
                  .as("the running instance keeps its name")
                  .isEqualTo("a");
              assertThat(change.settings().addresses())
                  .extracting(Object::toString)
                  .containsExactly("192.0.2.1/24", "192.0.2.2/24");
              assertThat(change.virtualIps()).containsExactly("a", "b");
              assertThat(change.joined()).containsExactly("b");
            });
    assertThat(table.virtualIpsOf("a")).containsExactly("a", "b");

    table.forget("a"); // the first one is deleted: the instance lives on for b
    assertThat(table.plan())
        .singleElement()
        .isInstanceOfSatisfying(
            ChangeAddresses.class,
            change ->
                assertThat(change.settings().addresses())
                    .extracting(Object::toString)
                    .containsExactly("192.0.2.2/24"));
  }

  @Test
  void onlyAnIntervalChangeIsAppliedLive() throws Exception {
    table.serve("web", settings("web", 7, "192.0.2.1/24", "1s", 3));
    table.plan();
    table.serve("web", settings("web", 7, "192.0.2.1/24", "200ms", 3));
    assertThat(table.plan()).containsExactly(new ChangeInterval("web", Duration.ofMillis(200)));
  }

  @Test
  void aNewPlannedPriorityIsAppliedLiveSoAMasterNeverResignsForIt() throws Exception {
    InstanceSettings before = settings("web", 7, "192.0.2.1/24", "1s", 3);
    table.serve("web", before);
    table.plan();
    table.serve("web", before.withPriority(before.priority() + 50));
    assertThat(table.plan())
        .singleElement()
        .isInstanceOfSatisfying(
            ChangePriority.class,
            change -> {
              assertThat(change.settings().priority()).isEqualTo(before.priority() + 50);
              assertThat(change.virtualIps()).containsExactly("web");
            });
  }

  @Test
  void theAddressOwnersPriorityNeverChangesLive() throws Exception {
    InstanceSettings before = settings("web", 7, "192.0.2.1/24", "1s", 3);
    table.serve("web", before);
    table.plan();
    table.serve("web", before.withPriority(255));
    assertThat(table.plan())
        .singleElement()
        .isInstanceOfSatisfying(
            Restart.class, r -> assertThat(r.why()).contains("255 cannot change live"));
    table.serve("web", before);
    assertThat(table.plan()).singleElement().isInstanceOf(Restart.class);
  }

  @Test
  void aVrrpV2InstanceJoiningASharedVridRestartsWithTheNewAddresses() throws Exception {
    table.serve("a", settings("a", 7, "192.0.2.1/24", "1s", 2));
    table.plan();
    table.serve("b", settings("b", 7, "192.0.2.2/24", "1s", 2));
    assertThat(table.plan())
        .singleElement()
        .isInstanceOfSatisfying(
            Restart.class,
            restart -> {
              assertThat(restart.why()).contains("RFC 3768 7.1");
              assertThat(restart.virtualIps()).containsExactly("a", "b");
              assertThat(restart.settings().addresses())
                  .extracting(Object::toString)
                  .containsExactly("192.0.2.1/24", "192.0.2.2/24");
            });
  }

  @Test
  void anyOtherChangeRestarts() throws Exception {
    table.serve("web", settings("web", 7, "192.0.2.1/24", "1s", 3));
    table.plan();
    table.serve("web", settings("web", 7, "192.0.2.1/24", "1s", 2));
    assertThat(table.plan()).singleElement().isInstanceOf(Restart.class);
  }

  @Test
  void aVirtualIpThatLeavesThisNodeIsReleasedOnceAndStaysReleasedUntilItComesBack()
      throws Exception {
    table.serve("web", settings("web", 7, "192.0.2.1/24", "1s", 3));
    table.plan();

    table.drop("web");
    assertThat(table.plan()).containsExactly(new Stop("web"), new Release("web"));
    assertThat(table.released()).containsExactly("web");
    table.drop("web");
    assertThat(table.plan()).isEmpty();

    table.serve("web", settings("web", 7, "192.0.2.1/24", "1s", 3));
    assertThat(table.plan()).singleElement().isInstanceOf(Start.class);
    assertThat(table.released()).isEmpty();
  }

  @Test
  void aVirtualIpMovingToAnotherVridIsNotReleased() throws Exception {
    table.serve("web", settings("web", 7, "192.0.2.1/24", "1s", 3));
    table.plan();
    table.serve("web", settings("web", 9, "192.0.2.1/24", "1s", 3));
    assertThat(table.plan())
        .hasSize(2)
        .anyMatch(o -> o instanceof Stop)
        .anyMatch(o -> o instanceof Start)
        .noneMatch(o -> o instanceof Release);
  }

  @Test
  void virtualIpsThatCannotShareFaultAndTheirInstanceStops() throws Exception {
    table.serve("a", settings("a", 7, "192.0.2.1/24", "1s", 3));
    table.plan();
    table.serve("b", settings("b", 7, "192.0.2.2/24", "2s", 3));
    assertThat(table.plan())
        .hasSize(3)
        .contains(new Stop("a"))
        .anyMatch(
            o ->
                o instanceof Fault f && f.virtualIp().equals("a") && f.problem().contains("differ"))
        .anyMatch(o -> o instanceof Fault f && f.virtualIp().equals("b"));
  }

  @Test
  void aFailedStartIsTriedAgainOnTheNextPlan() throws Exception {
    table.serve("web", settings("web", 7, "192.0.2.1/24", "1s", 3));
    table.plan();
    table.failed("web");
    assertThat(table.virtualIpsOf("web")).isEmpty();
    assertThat(table.plan()).singleElement().isInstanceOf(Start.class);
  }

  @Test
  void aGroupStartingOutSharedIsNamedAfterItsVrid() throws Exception {
    table.serve("a", settings("a", 7, "192.0.2.1/24", "1s", 3));
    table.serve("b", settings("b", 7, "192.0.2.2/24", "1s", 3));
    assertThat(table.plan())
        .singleElement()
        .isInstanceOfSatisfying(
            Start.class, start -> assertThat(start.settings().name()).isEqualTo("vrid-7-eth0"));
  }

  private static InstanceSettings settings(
      String name, int vrid, String address, String interval, int version) throws Exception {
    return ConfigLoader.parse(
            """
        instances:
          - {name: %s, interface: eth0, virtualRouterId: %d, addresses: [%s], advertisementInterval: %s, version: %d}
        """
                .formatted(name, vrid, address, interval, version))
        .instances()
        .get(0);
  }
}
