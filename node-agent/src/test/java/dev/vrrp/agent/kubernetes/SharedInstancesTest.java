package dev.vrrp.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.agent.config.ConfigLoader;
import dev.vrrp.agent.config.InstanceSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SharedInstancesTest {

  @Test
  void virtualIpsWithOneVridShareOneInstanceWithAllAddresses() throws Exception {
    Map<String, InstanceSettings> byVip = new LinkedHashMap<>();
    byVip.put("b", settings("b", 7, "192.0.2.2/24", "100ms"));
    byVip.put("a", settings("a", 7, "192.0.2.1/24", "100ms"));
    byVip.put("c", settings("c", 8, "192.0.2.3/24", "100ms"));
    Map<String, SharedInstances.Group> groups = SharedInstances.group(byVip);
    assertThat(groups).containsOnlyKeys("vrid-7-eth0", "c");
    SharedInstances.Group shared = groups.get("vrid-7-eth0");
    assertThat(shared.virtualIps()).containsExactly("a", "b");
    assertThat(shared.settings().addresses()).extracting(Object::toString)
        .containsExactly("192.0.2.1/24", "192.0.2.2/24");
    assertThat(groups.get("c").settings().name()).isEqualTo("c");
  }

  @Test
  void sharingRequiresTheSameSettings() throws Exception {
    Map<String, InstanceSettings> byVip = Map.of(
        "a", settings("a", 7, "192.0.2.1/24", "100ms"), "b", settings("b", 7, "192.0.2.2/24", "1s"));
    SharedInstances.Group group = SharedInstances.group(byVip).values().iterator().next();
    assertThat(group.settings()).isNull();
    assertThat(group.problem()).contains("share VRID 7").contains("differ");
  }

  private static InstanceSettings settings(String name, int vrid, String address, String interval) throws Exception {
    return ConfigLoader.parse("""
        instances:
          - {name: %s, interface: eth0, virtualRouterId: %d, addresses: [%s], advertisementInterval: %s}
        """.formatted(name, vrid, address, interval)).instances().get(0);
  }
}
