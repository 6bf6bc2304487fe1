package dev.vrrp.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodProcessTest {
  static final PodProcess.Identity POD =
      new PodProcess.Identity(
          "vrrp-agent-node-a", "vrrp-system", "node-a", "192.0.2.11", "192.0.2.11");
  static final Map<String, Path> JARS = Map.of("node-agent.jar", Path.of("/build/node-agent.jar"));

  static PodSpec agent() {
    return new PodSpecBuilder()
        .withServiceAccountName("vrrp-agent")
        .addNewContainer()
        .withName("agent")
        .withCommand("java", "-Xmx128m", "-jar", "/opt/vrrp/node-agent.jar", "kubernetes")
        .addNewEnv()
        .withName("NODE_NAME")
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath("spec.nodeName")
        .endFieldRef()
        .endValueFrom()
        .endEnv()
        .addNewEnv()
        .withName("HOST_IP")
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath("status.hostIP")
        .endFieldRef()
        .endValueFrom()
        .endEnv()
        .addNewEnv()
        .withName("ADMIN_ADDRESS")
        .withValue("$(HOST_IP):9477")
        .endEnv()
        .withNewResources()
        .addToLimits("memory", new Quantity("256Mi"))
        .endResources()
        .endContainer()
        .build();
  }

  @Test
  void theContainerRunsWithTheLocalJvmAndJarAndTheDownwardApiFilledIn() {
    PodProcess p = PodProcess.of(agent(), POD, JARS);
    assertThat(p.argv())
        .containsExactly(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:MaxRAM=268435456",
            "-Xmx128m",
            "-jar",
            "/build/node-agent.jar",
            "kubernetes");
    assertThat(p.env())
        .containsEntry("NODE_NAME", "node-a")
        .containsEntry("HOST_IP", "192.0.2.11")
        .containsEntry("ADMIN_ADDRESS", "192.0.2.11:9477")
        .containsEntry("HOSTNAME", "vrrp-agent-node-a");
    assertThat(p.serviceAccount()).isEqualTo("vrrp-agent");
  }

  @Test
  void aTemplateChangeIsADifferentProcess() {
    PodSpec changed = agent();
    changed
        .getContainers()
        .get(0)
        .getEnv()
        .add(new io.fabric8.kubernetes.api.model.EnvVar("HEARTBEAT", "5s", null));
    assertThat(PodProcess.of(changed, POD, JARS)).isNotEqualTo(PodProcess.of(agent(), POD, JARS));
    assertThat(PodProcess.of(agent(), POD, JARS)).isEqualTo(PodProcess.of(agent(), POD, JARS));
  }

  @Test
  void whatTheLabCannotFillInIsRefusedByName() {
    PodSpec spec = agent();
    spec.getContainers()
        .get(0)
        .getEnv()
        .get(0)
        .getValueFrom()
        .getFieldRef()
        .setFieldPath("status.hostIPs");
    assertThatThrownBy(() -> PodProcess.of(spec, POD, JARS))
        .hasMessageContaining("NODE_NAME")
        .hasMessageContaining("status.hostIPs");
  }
}
