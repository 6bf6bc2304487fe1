package dev.vrrp.operator;

import static dev.vrrp.operator.Vips.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.operator.status.StatusAggregator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VirtualIpUpdateFilterTest {
  private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
  private static final Duration WINDOW = Duration.ofSeconds(30);
  private final StatusAggregator aggregator = new StatusAggregator(WINDOW, Optional::empty);
  private final VirtualIpUpdateFilter filter =
      new VirtualIpUpdateFilter(aggregator::fresh, Clock.fixed(NOW, ZoneOffset.UTC));

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
    assertThat(filter.accept(vip("x").entry("a", "MASTER", NOW).build(), before)).isTrue();
    assertThat(
            filter.accept(
                vip("x").entry("a", "BACKUP", NOW).entry("b", "BACKUP", NOW).build(), before))
        .isTrue();
    assertThat(filter.accept(vip("x").entry("a", "BACKUP", NOW).generation(2).build(), before))
        .isTrue();
    assertThat(filter.accept(vip("x").entry("a", "BACKUP", NOW).deleted(NOW).build(), before))
        .isTrue();
    var finalized = vip("x").entry("a", "BACKUP", NOW).build();
    finalized.getMetadata().getFinalizers().add("vrrp.dev/release-addresses");
    assertThat(filter.accept(finalized, before)).isTrue();
  }

  @Test
  void aHeartbeatThatOnlyRefreshesFreshEntriesIsSkipped() {
    var before =
        vip("x")
            .entry("a", "MASTER", NOW.minusSeconds(10))
            .entry("b", "BACKUP", NOW.minusSeconds(29))
            .build();
    var after = vip("x").entry("a", "MASTER", NOW).entry("b", "BACKUP", NOW).build();
    assertThat(filter.accept(after, before)).isFalse();
  }

  @Test
  void aHeartbeatThatRevivesAStaleEntryCounts() {
    var before =
        vip("x").entry("a", "MASTER", NOW).entry("b", "BACKUP", NOW.minusSeconds(31)).build();
    var after = vip("x").entry("a", "MASTER", NOW).entry("b", "BACKUP", NOW).build();
    assertThat(filter.accept(after, before)).isTrue();
  }

  @Test
  void aNewReasonAloneCounts() {
    var before = vip("x").entry("a", "FAULT", NOW, "cannot run").build();
    var after = vip("x").entry("a", "FAULT", NOW, "cannot run").build();
    after.getStatus().getNodes().get(0).setReason("AddressInUse");
    assertThat(filter.accept(after, before)).isTrue();
  }

  @Test
  void anyHeartbeatCountsWhileTwoEntriesSayMaster() {
    // refreshed after the other's takeover: a split brain, not a master that died
    var before =
        vip("x").entry("a", "MASTER", NOW.minusSeconds(5)).entry("b", "MASTER", NOW).build();
    var after = vip("x").entry("a", "MASTER", NOW).entry("b", "MASTER", NOW).build();
    assertThat(filter.accept(after, before)).isTrue();
  }
}
