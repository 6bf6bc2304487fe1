package dev.vrrp.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.Problem;
import dev.vrrp.api.Problems;
import dev.vrrp.api.text.AddressRange;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What only PoolRules sees: admission lets these through, the operator reports them. */
class PoolRulesTest {
  private static List<Problem> problems(String... blocks) {
    Problems found = new Problems();
    PoolRules.blocks(found, "spec.addresses", List.of(blocks), 3);
    return found.list();
  }

  @Test
  void aRangeThatStartsAfterItEndsIsNamed() {
    assertThat(problems("192.0.2.20-192.0.2.10"))
        .containsExactly(
            new Problem("spec.addresses", "starts after it ends: '192.0.2.20-192.0.2.10'"));
  }

  @Test
  void aCidrWithHostBitsNamesItsNetwork() {
    assertThat(problems("192.0.2.5/28"))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("host bits", "192.0.2.0/28"));
  }

  @Test
  void overlappingBlocksNameBothItems() {
    assertThat(problems("192.0.2.0/28", "198.51.100.1", "192.0.2.10-192.0.2.20"))
        .containsExactly(
            new Problem(
                "spec.addresses[2]",
                "192.0.2.10-192.0.2.20 overlaps spec.addresses[0] (192.0.2.0/28)"));
  }

  @Test
  void aRangeWhoseEndsAreUnicastButThatSpansLoopbackIsRefused() {
    assertThat(problems("126.255.255.250-128.0.0.5"))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).startsWith("not unicast addresses"));
  }

  @Test
  void selectorRequirementsAreCheckedAsKubernetesChecksItsOwn() {
    VirtualIPPoolSpec spec = new VirtualIPPoolSpec();
    spec.setAddresses(List.of("192.0.2.0/28"));
    spec.setServiceSelector(
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("app")
            .withOperator("Is")
            .withValues("web")
            .endMatchExpression()
            .build());
    spec.setNamespaceSelector(
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("team")
            .withOperator("Exists")
            .withValues("a")
            .endMatchExpression()
            .build());
    assertThat(PoolRules.problems(spec))
        .extracting(Problem::field)
        .containsExactly("spec.serviceSelector", "spec.namespaceSelector");
    spec.setServiceSelector(
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("app")
            .withOperator("In")
            .endMatchExpression()
            .build());
    spec.setNamespaceSelector(null);
    assertThat(PoolRules.problems(spec))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).isEqualTo(VirtualIPPoolSpec.OPERATOR_MESSAGE));
  }

  @Test
  void theUsableBlocksComeBackInOrder() {
    Problems found = new Problems();
    List<AddressRange> blocks =
        PoolRules.blocks(
            found, "spec.addresses", List.of("192.0.2.0/30", "2001:db8::1-2001:db8::3"), 3);
    assertThat(found.list()).isEmpty();
    assertThat(blocks).extracting(AddressRange::size).map(Number::intValue).containsExactly(4, 3);
  }
}
