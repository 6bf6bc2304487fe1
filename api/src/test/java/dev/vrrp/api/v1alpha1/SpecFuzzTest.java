package dev.vrrp.api.v1alpha1;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vrrp.api.ClientSerialization;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing (Jazzer) of the VirtualIP rules: whatever spec a manifest holds, {@link
 * SpecRules#problems} judges it (the operator and every agent call it on specs admission let
 * through) and never throws. Text that is no VirtualIP at all is refused by the parser, as by the
 * API server. Seeded with {@code examples/}. With {@code JAZZER_FUZZ=1} (the fuzz tier of {@code
 * ./test} and CI) it runs a million inputs; without, its seeds.
 */
@Tag("fuzz")
class SpecFuzzTest {
  private static final KubernetesSerialization SERIALIZATION =
      ClientSerialization.withoutManagedFields();

  @FuzzTest(maxExecutions = 1_000_000, maxDuration = "10m")
  void anyVirtualIpIsJudgedWithoutAnException(byte[] manifest) {
    fuzzerTestOneInput(manifest);
  }

  /** Jazzer's command-line entry point, for the long run. */
  public static void fuzzerTestOneInput(byte[] manifest) {
    VirtualIP vip;
    try {
      vip = SERIALIZATION.unmarshal(new String(manifest, StandardCharsets.UTF_8), VirtualIP.class);
    } catch (RuntimeException notAVirtualIp) {
      return;
    }
    if (vip != null) {
      SpecRules.problems(vip.getSpec());
    }
  }
}
