package dev.vrrp.operator.services;

import dev.vrrp.api.Problem;
import dev.vrrp.api.text.AddressRange;
import dev.vrrp.api.v1alpha1.PoolRules;
import dev.vrrp.api.v1alpha1.VirtualIPPool;
import dev.vrrp.api.v1alpha1.VirtualIPPoolSpec;
import dev.vrrp.operator.services.AddressAllocator.Pool;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pools as the allocator sees them, read from the API each time. A pool with a problem (its
 * spec, or a block that overlaps an older pool's) hands nothing out; its problems are what its
 * conditions say. The older pool keeps the overlapping addresses: creating a pool never takes
 * anything away from one that was there first.
 */
public final class PoolCatalog {
  /** A pool, and the allocator's view of it when it is usable. */
  public record Entry(VirtualIPPool pool, Optional<Pool> usable, List<Problem> problems) {
    public Entry {
      problems = List.copyOf(problems);
    }
  }

  private final Map<String, Entry> entries;

  private PoolCatalog(Map<String, Entry> entries) {
    this.entries = entries;
  }

  public static PoolCatalog of(Collection<VirtualIPPool> pools) {
    List<VirtualIPPool> oldestFirst =
        pools.stream()
            .sorted(
                Comparator.comparing(
                        (VirtualIPPool p) ->
                            p.getMetadata().getCreationTimestamp() == null
                                ? ""
                                : p.getMetadata().getCreationTimestamp())
                    .thenComparing(p -> p.getMetadata().getName()))
            .toList();
    Map<String, Entry> entries = new LinkedHashMap<>();
    List<Map.Entry<String, AddressRange>> taken = new ArrayList<>();
    for (VirtualIPPool pool : oldestFirst) {
      String name = pool.getMetadata().getName();
      PoolRules.Judged judged = PoolRules.judge(pool.getSpec());
      List<Problem> problems = new ArrayList<>(judged.problems());
      if (!problems.isEmpty()) {
        entries.put(name, new Entry(pool, Optional.empty(), problems));
        continue;
      }
      VirtualIPPoolSpec spec = pool.getSpec();
      List<AddressRange> blocks = judged.blocks();
      for (int i = 0; i < blocks.size(); i++) {
        for (Map.Entry<String, AddressRange> other : taken) {
          if (other.getValue().overlaps(blocks.get(i))) {
            problems.add(
                new Problem(
                    "spec.addresses[" + i + "]",
                    spec.getAddresses().get(i)
                        + " overlaps pool "
                        + other.getKey()
                        + " ("
                        + other.getValue()
                        + "), which was there first"));
          }
        }
      }
      if (!problems.isEmpty()) {
        entries.put(name, new Entry(pool, Optional.empty(), problems));
        continue;
      }
      blocks.forEach(b -> taken.add(Map.entry(name, b)));
      Pool usable =
          new Pool(
              name,
              blocks,
              !Boolean.FALSE.equals(spec.getAutoAssign()),
              Boolean.TRUE.equals(spec.getAvoidBuggyIPs()));
      entries.put(name, new Entry(pool, Optional.of(usable), List.of()));
    }
    return new PoolCatalog(entries);
  }

  /** The usable pools whose selectors admit the Service (in a namespace with these labels). */
  public List<Pool> admitting(Service service, Map<String, String> namespaceLabels) {
    return entries.values().stream()
        .filter(e -> e.usable().isPresent())
        .filter(
            e ->
                LabelSelectors.matches(
                        e.pool().getSpec().getServiceSelector(), service.getMetadata().getLabels())
                    && LabelSelectors.matches(
                        e.pool().getSpec().getNamespaceSelector(), namespaceLabels))
        .map(e -> e.usable().get())
        .toList();
  }

  public Optional<Entry> entry(String name) {
    return Optional.ofNullable(entries.get(name));
  }

  public Collection<Entry> entries() {
    return entries.values();
  }
}
