package dev.vrrp.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.agent.config.ConfigLoader;
import dev.vrrp.agent.config.InstanceSettings;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SharedInstancesTest {

  @Test
  void virtualIpsWithOneVridShareOneInstanceWithAllAddresses() throws Exception {
    TreeMap<String, InstanceSettings> members = new TreeMap<>();
    members.put("b", settings("b", 7, "192.0.2.2/24", "100ms"));
    members.put("a", settings("a", 7, "192.0.2.1/24", "100ms"));
    assertThat(SharedInstances.key(members.get("a")))
        .isEqualTo(SharedInstances.key(members.get("b")))
        .isNotEqualTo(SharedInstances.key(settings("c", 8, "192.0.2.3/24", "100ms")));
    assertThat(SharedInstances.nameFor(members)).isEqualTo("vrid-7-eth0");

    SharedInstances.Group shared = SharedInstances.of(members, "vrid-7-eth0");

    assertThat(shared.virtualIps()).containsExactly("a", "b");
    assertThat(shared.settings().name()).isEqualTo("vrid-7-eth0");
    assertThat(shared.settings().addresses())
        .extracting(Object::toString)
        .containsExactly("192.0.2.1/24", "192.0.2.2/24");
  }

  @Test
  void sharingRequiresTheSameSettings() throws Exception {
    TreeMap<String, InstanceSettings> members = new TreeMap<>();
    members.put("a", settings("a", 7, "192.0.2.1/24", "100ms"));
    members.put("b", settings("b", 7, "192.0.2.2/24", "1s"));
    SharedInstances.Group group = SharedInstances.of(members, "vrid-7-eth0");
    assertThat(group.settings()).isNull();
    assertThat(group.problem()).contains("share VRID 7").contains("differ");
  }

  private static InstanceSettings settings(String name, int vrid, String address, String interval)
      throws Exception {
    return ConfigLoader.parse(
            """
        instances:
          - {name: %s, interface: eth0, virtualRouterId: %d, addresses: [%s], advertisementInterval: %s}
        """
                .formatted(name, vrid, address, interval))
        .instances()
        .get(0);
  }
}
