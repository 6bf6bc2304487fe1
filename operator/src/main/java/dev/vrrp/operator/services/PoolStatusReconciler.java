package dev.vrrp.operator.services;

import dev.vrrp.api.v1alpha1.LoadBalancers;
import dev.vrrp.api.v1alpha1.OperatorManager;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPPool;
import dev.vrrp.api.v1alpha1.VirtualIPPoolStatus;
import dev.vrrp.operator.plan.NodeFields;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps each VirtualIPPool's status (counts, Ready, Exhausted; {@link PoolStatuses}) true, read
 * from the pools, the VirtualIPs and the Nodes on every reconcile. A VirtualIP's change reaches its
 * pool (label {@code vrrp.dev/pool}); one of its own, and a Node, reach every pool (an address they
 * hold may lie in any). The resync catches what else changes a pool's view (another pool's
 * overlap).
 */
@ControllerConfiguration(
    name = PoolStatusReconciler.NAME,
    generationAwareEventProcessing = false,
    fieldManager = OperatorManager.NAME)
public final class PoolStatusReconciler implements Reconciler<VirtualIPPool> {
  public static final String NAME = "virtualippool";

  private final KubernetesClient client;
  private final Clock clock;
  private final Duration resync;
  private volatile IndexerResourceCache<VirtualIPPool> pools;
  private volatile InformerEventSource<VirtualIP, VirtualIPPool> virtualIps;
  private volatile InformerEventSource<Node, VirtualIPPool> nodes;

  public PoolStatusReconciler(KubernetesClient client, Clock clock, Duration resync) {
    this.client = client;
    this.clock = clock;
    this.resync = resync;
  }

  @Override
  public List<EventSource<?, VirtualIPPool>> prepareEventSources(
      EventSourceContext<VirtualIPPool> context) {
    pools = context.getPrimaryCache();
    virtualIps =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(VirtualIP.class, VirtualIPPool.class)
                .withName("pool-virtualips")
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(this::poolsOf)
                // only who uses it and what it holds count, not the agents' heartbeats
                .withOnUpdateFilter(
                    (newVip, oldVip) ->
                        !ServiceVirtualIps.services(newVip)
                                .equals(ServiceVirtualIps.services(oldVip))
                            || !Objects.equals(
                                newVip.getMetadata().getGeneration(),
                                oldVip.getMetadata().getGeneration()))
                .build(),
            context);
    nodes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Node.class, VirtualIPPool.class)
                .withName("pool-nodes")
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(node -> allPools())
                .withItemStore(new TransformingItemStore<>(NodeFields::slim))
                .build(),
            context);
    return List.of(virtualIps, nodes);
  }

  private Set<ResourceID> poolsOf(VirtualIP vip) {
    Map<String, String> labels = vip.getMetadata().getLabels();
    String pool = labels == null ? null : labels.get(LoadBalancers.POOL_LABEL);
    return pool != null && !ServiceVirtualIps.services(vip).isEmpty()
        ? Set.of(new ResourceID(pool))
        : allPools();
  }

  private Set<ResourceID> allPools() {
    IndexerResourceCache<VirtualIPPool> cache = pools;
    return cache == null
        ? Set.of()
        : cache.list().map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  @Override
  public UpdateControl<VirtualIPPool> reconcile(
      VirtualIPPool pool, Context<VirtualIPPool> context) {
    PoolCatalog catalog = PoolCatalog.of(pools.list().toList());
    PoolCatalog.Entry entry = catalog.entry(pool.getMetadata().getName()).orElseThrow();
    Optional<PoolUsage> usage =
        entry
            .usable()
            .map(
                p ->
                    PoolUsage.of(
                        p,
                        ServiceVirtualIps.holdings(
                            virtualIps.list().toList(),
                            // whoever holds an address counts; sharing does not matter here
                            id -> Optional.empty(),
                            nodes.list().toList())));
    VirtualIPPoolStatus status =
        PoolStatuses.of(pool, entry, usage, pool.getStatus(), clock.instant());
    if (!PoolStatuses.same(status, pool.getStatus())) {
      VirtualIPPool patch = new VirtualIPPool();
      patch.getMetadata().setName(pool.getMetadata().getName());
      patch.setStatus(status);
      client.resources(VirtualIPPool.class).resource(patch).patchStatus();
    }
    return UpdateControl.<VirtualIPPool>noUpdate().rescheduleAfter(resync);
  }
}
