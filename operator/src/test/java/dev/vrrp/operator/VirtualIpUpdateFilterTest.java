package dev.vrrp.operator;

import static dev.vrrp.operator.Vips.vip;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class VirtualIpUpdateFilterTest {
  private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
  private final VirtualIpUpdateFilter filter = new VirtualIpUpdateFilter();

  @Test
  void theOperatorsOwnStatusWriteIsIgnored() {
    var before = vip("x").entry("a", "MASTER", NOW).build();
    var after = vip("x").entry("a", "MASTER", NOW).build();
    after.getStatus().setMaster("a");
    after.getStatus().setReady("1/1");
    after.getMetadata().setResourceVersion("2");
    assertThat(filter.accept(after, before)).isFalse();
  }

  @Test
  void agentsSpecDeletionAndFinalizersCount() {
    var before = vip("x").entry("a", "BACKUP", NOW).build();
    assertThat(filter.accept(vip("x").entry("a", "BACKUP", NOW.plusSeconds(10)).build(), before))
        .isTrue();
    assertThat(filter.accept(vip("x").entry("a", "MASTER", NOW).build(), before)).isTrue();
    assertThat(filter.accept(vip("x").entry("a", "BACKUP", NOW).generation(2).build(), before))
        .isTrue();
    assertThat(filter.accept(vip("x").entry("a", "BACKUP", NOW).deleted(NOW).build(), before))
        .isTrue();
    var finalized = vip("x").entry("a", "BACKUP", NOW).build();
    finalized.getMetadata().getFinalizers().add("vrrp.dev/release-addresses");
    assertThat(filter.accept(finalized, before)).isTrue();
  }
}
