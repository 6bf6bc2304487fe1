package dev.vrrp.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class AddressChangesTest {
  @Test
  void readsAnAdditionAndARemovalOnEth0() {
    var added =
        AddressChanges.parse(
                "node-a",
                "[2026-12-03T15:09:23.978586] 3: eth0    inet 192.0.2.100/24 scope global")
            .orElseThrow();
    assertThat(added.added()).isTrue();
    assertThat(added.node()).isEqualTo("node-a");
    assertThat(added.address()).isEqualTo("192.0.2.100");
    assertThat(added.at())
        .isEqualTo(
            LocalDateTime.of(2026, 12, 3, 15, 9, 23, 978_586_000)
                .atZone(ZoneId.systemDefault())
                .toInstant());

    var removed =
        AddressChanges.parse(
                "node-b", "[2026-12-03T15:09:24.000001] Deleted 3: eth0    inet6 2001:db8::100/64")
            .orElseThrow();
    assertThat(removed.added()).isFalse();
    assertThat(removed.address()).isEqualTo("2001:db8::100");
  }

  @Test
  void ignoresOtherInterfacesAndContinuationLines() {
    assertThat(
            AddressChanges.parse(
                "node-a", "[2026-12-03T15:09:23.978586] 1: lo    inet 127.0.0.1/8 scope host lo"))
        .isEmpty();
    assertThat(AddressChanges.parse("node-a", "       valid_lft forever preferred_lft forever"))
        .isEmpty();
  }
}
