package dev.vrrp.operator.services;

import static dev.vrrp.operator.services.TestServices.pool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.v1alpha1.VirtualIPPool;
import dev.vrrp.api.v1alpha1.VirtualIPPoolStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PoolStatusesTest {
  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  private static String words(VirtualIPPoolStatus status) {
    return status.getConditions().stream()
        .map(c -> c.getType() + "=" + c.getStatus() + " " + c.getReason())
        .toList()
        .toString();
  }

  @Test
  void aUsablePoolCountsAndSaysWhetherAnythingIsLeft() {
    VirtualIPPool edge = pool("edge", "2026-01-01T00:00:00Z", "192.0.2.0/30");
    PoolCatalog.Entry entry = PoolCatalog.of(List.of(edge)).entry("edge").orElseThrow();
    VirtualIPPoolStatus some =
        PoolStatuses.of(
            edge,
            entry,
            Optional.of(
                new PoolUsage(BigInteger.valueOf(4), BigInteger.ONE, BigInteger.valueOf(3))),
            null,
            T0);
    assertThat(some.getTotal()).isEqualTo("4");
    assertThat(some.getAssigned()).isEqualTo("1");
    assertThat(some.getAvailable()).isEqualTo("3");
    assertThat(words(some))
        .isEqualTo("[Ready=True PoolUsable, Exhausted=False AddressesAvailable]");

    VirtualIPPoolStatus full =
        PoolStatuses.of(
            edge,
            entry,
            Optional.of(
                new PoolUsage(BigInteger.valueOf(4), BigInteger.valueOf(4), BigInteger.ZERO)),
            some,
            T0.plusSeconds(60));
    assertThat(words(full)).isEqualTo("[Ready=True PoolUsable, Exhausted=True PoolExhausted]");
    assertThat(full.getConditions())
        .extracting(Condition::getLastTransitionTime)
        .as("Ready stayed True since T0; Exhausted turned True now")
        .containsExactly("2026-12-03T10:00:00Z", "2026-12-03T10:01:00Z");
    assertThat(PoolStatuses.same(full, some)).isFalse();
  }

  @Test
  void anUnusablePoolSaysWhyAndCountsNothing() {
    VirtualIPPool older = pool("a", "2026-01-01T00:00:00Z", "192.0.2.0/28");
    VirtualIPPool newer = pool("b", "2026-02-01T00:00:00Z", "192.0.2.8/29");
    PoolCatalog catalog = PoolCatalog.of(List.of(older, newer));
    VirtualIPPoolStatus status =
        PoolStatuses.of(newer, catalog.entry("b").orElseThrow(), Optional.empty(), null, T0);
    assertThat(words(status)).isEqualTo("[Ready=False AddressConflict]");
    assertThat(status.getConditions().get(0).getMessage())
        .startsWith("hands out nothing: spec.addresses[0]: 192.0.2.8/29 overlaps pool a");
    assertThat(status.getTotal()).isNull();
  }
}
