package dev.vrrp.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The field managers are in the managedFields of every VirtualIP already stored: a renamed one
 * would strand the fields applied under the old name, so the names are pinned here.
 */
class FieldManagersTest {
  @Test
  void theOperatorWritesAsVrrpOperator() {
    assertThat(OperatorManager.NAME).isEqualTo("vrrp-operator");
  }

  @Test
  void eachAgentWritesUnderANameOfItsOwnNode() {
    assertThat(NodeEntryPatch.fieldManager("node-a")).isEqualTo("vrrp-agent/node-a");
    assertThat(NodeEntryPatch.fieldManager("node-b")).isNotEqualTo(OperatorManager.NAME);
  }
}
