package dev.vrrp.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.kube.RealApiServer;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees: the real kubectl against the real API server, through the short names. */
@Tag("integration")
class KubectlGetIT {
  @RegisterExtension static final RealApiServer API = new RealApiServer();

  private static final List<String> COLUMNS =
      List.of("NAME", "ADDRESSES", "MASTER", "VRID", "READY", "AGE");

  @TempDir static Path cache;

  private static String name;

  @BeforeAll
  static void oneVirtualIpWithStatus() {
    API.installCrd();
    name = "kubectl-" + Long.toHexString(System.nanoTime());
    VirtualIP vip = new VirtualIP();
    vip.getMetadata().setName(name);
    vip.getMetadata().getAnnotations().put(LoadBalancers.SERVICES_ANNOTATION, "shop/web,shop/dns");
    VirtualIPSpec spec = new VirtualIPSpec();
    spec.setAddresses(List.of("192.0.2.10/24", "192.0.2.11/24"));
    vip.setSpec(spec);
    vip.setStatus(null);
    API.client().resource(vip).create();

    VirtualIP summary = new VirtualIP();
    summary.getMetadata().setName(name);
    VirtualIPStatus status = new VirtualIPStatus();
    status.setNodes(null);
    status.setPriorities(null);
    status.setConditions(null);
    status.setMaster("node-b");
    status.setVirtualRouterId(42);
    status.setReady("2/3");
    summary.setStatus(status);
    API.client()
        .resources(VirtualIP.class)
        .withName(name)
        .subresource("status")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager(OperatorManager.NAME)
                .build(),
            summary);
  }

  @Test
  void getVipsShowsTheColumns() throws Exception {
    List<String> lines = kubectl("get", "vips");

    assertThat(Arrays.asList(lines.get(0).trim().split("\\s+"))).isEqualTo(COLUMNS);
    String row = lines.stream().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow();
    assertThat(row.split("\\s+"))
        .startsWith(name, "[\"192.0.2.10/24\",\"192.0.2.11/24\"]", "node-b", "42", "2/3");
  }

  @Test
  void theWideViewNamesTheServicesUsingTheAddress() throws Exception {
    List<String> lines = kubectl("get", "vips", "-o", "wide");

    assertThat(Arrays.asList(lines.get(0).trim().split("\\s+")))
        .containsExactly("NAME", "ADDRESSES", "MASTER", "VRID", "READY", "SERVICES", "AGE");
    String row = lines.stream().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow();
    assertThat(row.split("\\s+")).contains("shop/web,shop/dns");
  }

  @Test
  void everyNameWorks() throws Exception {
    for (String resource :
        List.of("vip", "vips", "virtualip", "virtualips", "virtualips.vrrp.dev")) {
      List<String> lines = kubectl("get", resource, name);
      assertThat(lines).as("kubectl get %s %s", resource, name).hasSize(2);
      assertThat(Arrays.asList(lines.get(0).trim().split("\\s+"))).isEqualTo(COLUMNS);
      assertThat(lines.get(1)).startsWith(name + " ");
    }
  }

  private static List<String> kubectl(String... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                API.kubectl().toString(),
                "--kubeconfig",
                API.kubeconfig().toString(),
                "--cache-dir",
                cache.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS))
        .as("kubectl %s finished", String.join(" ", args))
        .isTrue();
    assertThat(process.exitValue()).as("kubectl %s:%n%s", String.join(" ", args), output).isZero();
    return output.lines().toList();
  }
}
