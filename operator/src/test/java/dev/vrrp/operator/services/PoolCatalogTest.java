package dev.vrrp.operator.services;

import static dev.vrrp.operator.services.TestServices.labels;
import static dev.vrrp.operator.services.TestServices.pool;
import static dev.vrrp.operator.services.TestServices.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.Problem;
import dev.vrrp.api.v1alpha1.VirtualIPPool;
import dev.vrrp.operator.services.AddressAllocator.Pool;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolCatalogTest {
  @Test
  void aPoolOverlappingAnOlderOneHandsNothingOutAndSaysWhy() {
    VirtualIPPool older = pool("a", "2026-01-01T00:00:00Z", "192.0.2.0/28");
    VirtualIPPool newer = pool("b", "2026-02-01T00:00:00Z", "198.51.100.1", "192.0.2.8-192.0.2.20");
    PoolCatalog catalog = PoolCatalog.of(List.of(newer, older));

    assertThat(catalog.admitting(service("ns", "web"), labels()))
        .extracting(Pool::name)
        .containsExactly("a");
    assertThat(catalog.entry("b").orElseThrow().problems())
        .containsExactly(
            new Problem(
                "spec.addresses[1]",
                "192.0.2.8-192.0.2.20 overlaps pool a (192.0.2.0-192.0.2.15), which was there first"));
  }

  @Test
  void anInvalidPoolHandsNothingOut() {
    PoolCatalog catalog =
        PoolCatalog.of(List.of(pool("bad", "2026-01-01T00:00:00Z", "192.0.2.20-192.0.2.10")));
    assertThat(catalog.admitting(service("ns", "web"), labels())).isEmpty();
    assertThat(catalog.entry("bad").orElseThrow().problems())
        .extracting(Problem::field)
        .containsExactly("spec.addresses");
  }

  @Test
  void selectorsChooseTheServicesAndNamespaces() {
    VirtualIPPool edge = pool("edge", "2026-01-01T00:00:00Z", "192.0.2.0/28");
    edge.getSpec()
        .setServiceSelector(new LabelSelectorBuilder().addToMatchLabels("expose", "edge").build());
    edge.getSpec()
        .setNamespaceSelector(new LabelSelectorBuilder().addToMatchLabels("team", "web").build());
    PoolCatalog catalog = PoolCatalog.of(List.of(edge));
    var labelled =
        TestServices.ours("ns", "web")
            .editMetadata()
            .addToLabels("expose", "edge")
            .endMetadata()
            .build();

    assertThat(catalog.admitting(labelled, labels("team", "web"))).hasSize(1);
    assertThat(catalog.admitting(labelled, labels("team", "db"))).isEmpty();
    assertThat(catalog.admitting(service("ns", "web"), labels("team", "web"))).isEmpty();
  }
}
