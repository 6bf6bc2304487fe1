package dev.vrrp.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a fake /sys/class/net; LinkProbeIT shows the real kernel files in a network namespace.
 */
class LinkProbeTest {
  @TempDir Path sys;

  @Test
  void upWithCarrierIsHealthy() throws IOException {
    device("eth0", "up", "1");

    assertThat(probe("eth0")).isEqualTo(ProbeResult.ok("eth0: link up, carrier"));
  }

  @Test
  void operstateDownFails() throws IOException {
    device("eth0", "down", "0");

    assertThat(probe("eth0")).isEqualTo(ProbeResult.failed("eth0: link down"));
  }

  @Test
  void lowerLayerDownFails() throws IOException {
    device("vlan10", "lowerlayerdown", "0");

    assertThat(probe("vlan10")).isEqualTo(ProbeResult.failed("vlan10: link lowerlayerdown"));
  }

  @Test
  void upWithoutCarrierFails() throws IOException {
    device("eth0", "up", "0");

    assertThat(probe("eth0")).isEqualTo(ProbeResult.failed("eth0: no carrier"));
  }

  @Test
  void unknownOperstateDefersToTheCarrier() throws IOException {
    device("tun0", "unknown", "1");
    device("dummy0", "unknown", "0");

    assertThat(probe("tun0")).isEqualTo(ProbeResult.ok("tun0: link unknown, carrier"));
    assertThat(probe("dummy0")).isEqualTo(ProbeResult.failed("dummy0: no carrier"));
  }

  @Test
  void unreadableCarrierMeansAdministrativelyDown() throws IOException {
    Path device = Files.createDirectories(sys.resolve("eth0"));
    Files.writeString(device.resolve("operstate"), "unknown\n");
    Files.createDirectory(
        device.resolve("carrier")); // reading it fails, as the kernel's EINVAL does

    assertThat(probe("eth0")).isEqualTo(ProbeResult.failed("eth0: administratively down"));
  }

  @Test
  void aMissingInterfaceFails() {
    assertThat(probe("eth9")).isEqualTo(ProbeResult.failed("eth9: no such interface"));
  }

  @Test
  void loopbackOfThisHostIsUp() {
    assertThat(new LinkProbe("lo").probe().ok()).isTrue();
  }

  @Test
  void refusesNamesThatAreNotOnePathElement() {
    assertThatThrownBy(() -> new LinkProbe("../../etc", sys))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LinkProbe("..", sys)).isInstanceOf(IllegalArgumentException.class);
  }

  private ProbeResult probe(String name) {
    return new LinkProbe(name, sys).probe();
  }

  private void device(String name, String operstate, String carrier) throws IOException {
    Path device = Files.createDirectories(sys.resolve(name));
    Files.writeString(device.resolve("operstate"), operstate + "\n");
    Files.writeString(device.resolve("carrier"), carrier + "\n");
  }
}
