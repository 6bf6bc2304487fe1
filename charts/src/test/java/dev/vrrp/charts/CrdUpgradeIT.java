package dev.vrrp.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vrrp.api.v1alpha1.NodeEntryPatch;
import dev.vrrp.api.v1alpha1.NodeStatus;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPSpec;
import dev.vrrp.lab.ApiServer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Helm installs {@code crds/} on the first install and never upgrades it: the chart's README and
 * docs/kubernetes.md tell users to apply it themselves. This runs that command (the real kubectl)
 * on a cluster whose CRD came from an earlier chart, with VirtualIPs stored under it. No chart
 * release precedes 0.1.0, so the earlier CRD is the first one this repository generated (commit
 * 1f19e08): its interface names have no length limit and its durations no combinations like {@code
 * 1s500ms}.
 */
@Tag("integration")
class CrdUpgradeIT {
  static final String PREVIOUS = "virtualips.vrrp.dev-v1.1f19e08.yml";

  @TempDir Path dir;

  @Test
  void theDocumentedCommandUpgradesTheCrdAndKeepsWhatItStored() throws Exception {
    try (ApiServer server = new ApiServer();
        KubernetesClient admin = server.client()) {
      Path kubeconfig = server.writeKubeconfig(dir);
      Path previous = dir.resolve(PREVIOUS);
      try (InputStream in = CrdUpgradeIT.class.getResourceAsStream(PREVIOUS)) {
        Files.write(previous, in.readAllBytes());
      }
      // as the first helm install created it
      kubectl(kubeconfig, "create", "--field-manager=helm", "-f", previous.toString());
      waitEstablished(admin);
      VirtualIP old = vip("old", "an-interface-named-long");
      admin.resource(old).create();

      // the command the chart's README gives, from the repository root
      String out =
          kubectl(
              kubeconfig,
              "apply",
              "--server-side",
              "--force-conflicts",
              "-f",
              Repo.chart().resolve("crds").toString());
      assertThat(out).contains("virtualips.vrrp.dev serverside-applied");
      CustomResourceDefinition crd = waitEstablished(admin);
      assertThat(crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().toString())
          .as("the chart's schema is in force")
          .contains("^[^/:\\s]{1,15}$");

      // what was stored stays, and its status can still be written (the operator and the agents)
      VirtualIP kept = admin.resources(VirtualIP.class).withName("old").get();
      assertThat(kept.getSpec().getInterfaceName()).isEqualTo("an-interface-named-long");
      NodeStatus entry = new NodeStatus();
      entry.setName("node-a");
      entry.setState("BACKUP");
      entry.setHeartbeatTime("2026-12-02T10:00:00Z");
      NodeEntryPatch.apply(admin, NodeEntryPatch.fieldManager("node-a"), "old", entry);
      assertThat(admin.resources(VirtualIP.class).withName("old").get().getStatus().getNodes())
          .extracting(NodeStatus::getState)
          .containsExactly("BACKUP");

      // the new rules hold for new objects, and what only they allow is accepted
      assertThatThrownBy(() -> admin.resource(vip("too-long", "an-interface-named-long")).create())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("spec.interface");
      VirtualIP newer = vip("newer", "eth0");
      newer.getSpec().setAdvertisementInterval("1s500ms");
      admin.resource(newer).create();
    }
  }

  private static VirtualIP vip(String name, String interfaceName) {
    VirtualIP vip = new VirtualIP();
    vip.getMetadata().setName(name);
    vip.setSpec(new VirtualIPSpec());
    vip.getSpec().setAddresses(new ArrayList<>(List.of("192.0.2.50/24")));
    vip.getSpec().setInterfaceName(interfaceName);
    vip.setStatus(null);
    return vip;
  }

  private static CustomResourceDefinition waitEstablished(KubernetesClient admin) {
    return admin
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(InstalledChart.CRD_NAME)
        .waitUntilCondition(ApiServer::established, 30, TimeUnit.SECONDS);
  }

  private static String kubectl(Path kubeconfig, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ApiServer.binary("kubectl").toString());
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
    }
    return out;
  }
}
