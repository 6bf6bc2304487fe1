package dev.vrrp.operator.services;

import dev.vrrp.api.v1alpha1.LoadBalancers;
import dev.vrrp.api.v1alpha1.OperatorManager;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPPool;
import dev.vrrp.api.vocabulary.EventType;
import dev.vrrp.api.vocabulary.Reason;
import dev.vrrp.operator.plan.NodeFields;
import dev.vrrp.operator.status.EventRecorder;
import dev.vrrp.operator.status.StatusAggregator.Notice;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LoadBalancer Services of our class get an address from the pools, a VirtualIP for it, and {@code
 * status.loadBalancer.ingress} once a node is master. Everything is read from the API (Services,
 * pools, VirtualIPs, Namespaces, Nodes, by informers) on every reconcile; what it decides is {@link
 * LoadBalancerDecision}'s. Decisions and the writes they lead to are one at a time: two Services
 * reconciled at once would otherwise both see the same lowest free address (the API server would
 * refuse the second VirtualIP, by name, but the Service would wait for a retry). A VirtualIP whose
 * Services are all gone (deleted while no operator ran) is deleted by the sweep, at most once per
 * resync, in a reconcile of one of our Services. A Service that is not ours and holds nothing of
 * ours costs one look at the VirtualIPs: no lock, no resync.
 */
@ControllerConfiguration(
    name = ServiceReconciler.NAME,
    // a deleted Service is reconciled too: it gives its addresses up (no finalizer on Services)
    triggerReconcilerOnAllEvents = true,
    generationAwareEventProcessing = false,
    fieldManager = OperatorManager.NAME)
public final class ServiceReconciler implements Reconciler<Service> {
  public static final String NAME = "loadbalancer";
  // while a master waits for a new node's BACKUP entry: the entry usually triggers a reconcile,
  // this bounds the wait for the timeout
  private static final Duration HANDOVER_RECHECK = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(ServiceReconciler.class);

  private final KubernetesClient client;
  private final EventRecorder events;
  private final boolean defaultClass;
  private final Duration resync;
  private final Clock clock;
  private final Object deciding = new Object();
  // System.nanoTime of the last orphan sweep (guarded by deciding): at most one per resync
  private long lastSweep = System.nanoTime() - Long.MAX_VALUE / 2;
  // the last Event per Service uid: a Service that waits is told why once, not every resync
  private final Map<String, String> told = new ConcurrentHashMap<>();
  // VirtualIPs this replica is creating or created that its informer may not list yet (guarded by
  // deciding): without them the next decision, a few milliseconds later, would pick the same
  // address again
  private final Map<String, VirtualIP> created = new LinkedHashMap<>();
  // Services (namespace/name) whose last decision was to wait for an address
  private final Set<String> waiting = ConcurrentHashMap.newKeySet();

  private volatile IndexerResourceCache<Service> services;
  private volatile InformerEventSource<VirtualIP, Service> virtualIps;
  private volatile InformerEventSource<VirtualIPPool, Service> pools;
  private volatile InformerEventSource<Namespace, Service> namespaces;
  private volatile InformerEventSource<Node, Service> nodes;
  private volatile InformerEventSource<EndpointSlice, Service> endpointSlices;

  public ServiceReconciler(
      KubernetesClient client,
      EventRecorder events,
      boolean defaultClass,
      Duration resync,
      Clock clock) {
    this.client = client;
    this.events = events;
    this.defaultClass = defaultClass;
    this.resync = resync;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, Service>> prepareEventSources(EventSourceContext<Service> context) {
    services = context.getPrimaryCache();
    virtualIps =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(VirtualIP.class, Service.class)
                .withName("service-virtualips")
                .withWatchAllNamespaces()
                // its users, and the Services waiting for an address (a VirtualIP that goes
                // may free one: they need not wait for the resync)
                .withSecondaryToPrimaryMapper(
                    vip ->
                        Stream.concat(ServiceVirtualIps.services(vip).stream(), waiting.stream())
                            .map(ServiceReconciler::resourceId)
                            .collect(Collectors.toSet()))
                // agents' heartbeats change a VirtualIP's status every few seconds; a Service
                // cares about its users, its address and whether a node is master
                .withOnUpdateFilter(
                    (newVip, oldVip) ->
                        !Objects.equals(
                                ServiceVirtualIps.services(newVip),
                                ServiceVirtualIps.services(oldVip))
                            || !Objects.equals(master(newVip), master(oldVip))
                            // a handover waits for a new node's BACKUP entry
                            || !Objects.equals(states(newVip), states(oldVip))
                            || !Objects.equals(
                                newVip.getMetadata().getGeneration(),
                                oldVip.getMetadata().getGeneration()))
                .build(),
            context);
    pools =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(VirtualIPPool.class, Service.class)
                .withName("pools")
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(pool -> ourServices(null))
                .build(),
            context);
    namespaces =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Namespace.class, Service.class)
                .withName("namespaces")
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(ns -> ourServices(ns.getMetadata().getName()))
                .build(),
            context);
    nodes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Node.class, Service.class)
                .withName("service-nodes")
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(node -> Set.of())
                .withItemStore(new TransformingItemStore<>(NodeFields::slim))
                .build(),
            context);
    endpointSlices =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(EndpointSlice.class, Service.class)
                .withName("endpointslices")
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(this::localService)
                .withItemStore(new TransformingItemStore<>(EndpointNodes::slim))
                .build(),
            context);
    return List.of(virtualIps, pools, namespaces, nodes, endpointSlices);
  }

  /** The Service of a slice, if it is ours and externalTrafficPolicy Local: its nodes matter. */
  private Set<ResourceID> localService(EndpointSlice slice) {
    String name = EndpointNodes.serviceName(slice);
    IndexerResourceCache<Service> cache = services;
    if (name == null || cache == null) {
      return Set.of();
    }
    ResourceID id = new ResourceID(name, slice.getMetadata().getNamespace());
    return cache
        .get(id)
        .filter(s -> ServiceRequests.ours(s, defaultClass) && ServiceRequests.local(s))
        .map(s -> Set.of(id))
        .orElse(Set.of());
  }

  /** The nodes with a ready endpoint of a Service (namespace/name). */
  private Set<String> readyNodes(String serviceId) {
    ResourceID id = resourceId(serviceId);
    return EndpointNodes.ready(
        endpointSlices
            .list(
                id.getNamespace().orElseThrow(),
                slice -> id.getName().equals(EndpointNodes.serviceName(slice)))
            .toList());
  }

  private static Map<String, String> states(VirtualIP vip) {
    Map<String, String> states = new TreeMap<>();
    if (vip.getStatus() != null) {
      vip.getStatus().getNodes().forEach(e -> states.put(e.getName(), e.getState()));
    }
    return states;
  }

  private static String master(VirtualIP vip) {
    return vip.getStatus() == null ? null : vip.getStatus().getMaster();
  }

  private static ResourceID resourceId(String namespacedName) {
    int slash = namespacedName.indexOf('/');
    return new ResourceID(namespacedName.substring(slash + 1), namespacedName.substring(0, slash));
  }

  /** The Services that are ours (in {@code namespace}, or anywhere when null). */
  private Set<ResourceID> ourServices(String namespace) {
    IndexerResourceCache<Service> cache = services;
    if (cache == null) {
      return Set.of();
    }
    return cache
        .list(s -> namespace == null || namespace.equals(s.getMetadata().getNamespace()))
        .filter(s -> ServiceRequests.ours(s, defaultClass))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  @Override
  public UpdateControl<Service> reconcile(Service service, Context<Service> context) {
    String id = ServiceRequests.id(service);
    if (!ServiceRequests.ours(service, defaultClass)
        && virtualIps.list().noneMatch(v -> ServiceVirtualIps.services(v).contains(id))) {
      // most Services of a cluster: nothing to decide, no lock, no look again at every resync
      waiting.remove(id);
      return UpdateControl.noUpdate();
    }
    LoadBalancerDecision decision;
    synchronized (deciding) {
      if (context.isPrimaryResourceDeleted()) {
        told.remove(service.getMetadata().getUid());
        waiting.remove(id);
        virtualIps
            .list()
            .filter(v -> ServiceVirtualIps.services(v).contains(id))
            .forEach(v -> leave(v.getMetadata().getName(), id));
        return UpdateControl.noUpdate();
      }
      if (System.nanoTime() - lastSweep > resync.toNanos()) {
        lastSweep = System.nanoTime();
        sweepOrphans();
      }
      decision = LoadBalancerDecision.decide(service, defaultClass, inputs(service));
      // reserved: the next decision sees these addresses taken while they are being created
      decision.create().forEach(vip -> created.put(vip.getMetadata().getName(), vip));
      decision.join().forEach(name -> join(name, service));
      decision.leave().forEach(name -> leave(name, id));
      if (decision.notice().map(n -> n.reason() == Reason.ADDRESS_PENDING).orElse(false)) {
        waiting.add(id);
      } else {
        waiting.remove(id);
      }
    }
    // what is this Service's alone is written without the lock (JOSDK never reconciles one
    // Service twice at once): a burst of Services creates its VirtualIPs side by side
    decision.create().forEach(this::create);
    if (decision.writeIngress()) {
      writeIngress(service, decision.ingress());
    }
    decision.nodes().forEach(change -> patchNodes(change));
    decision
        .notice()
        .ifPresentOrElse(n -> tell(service, n), () -> told.remove(service.getMetadata().getUid()));
    return UpdateControl.<Service>noUpdate()
        .rescheduleAfter(decision.handingOver() ? HANDOVER_RECHECK : resync);
  }

  private LoadBalancerDecision.Inputs inputs(Service service) {
    Map<String, String> namespaceLabels =
        namespaces
            .get(new ResourceID(service.getMetadata().getNamespace()))
            .map(ns -> ns.getMetadata().getLabels())
            .orElse(null);
    List<VirtualIP> vips = new ArrayList<>(virtualIps.list().toList());
    Set<String> listed =
        vips.stream().map(v -> v.getMetadata().getName()).collect(Collectors.toSet());
    created.keySet().removeIf(listed::contains);
    vips.addAll(created.values());
    return new LoadBalancerDecision.Inputs(
        PoolCatalog.of(pools.list().toList()),
        namespaceLabels == null ? Map.of() : namespaceLabels,
        vips,
        id -> services.get(resourceId(id)),
        nodes.list().toList(),
        this::readyNodes,
        clock.instant());
  }

  /** VirtualIPs for Services of which none exists any more. */
  private void sweepOrphans() {
    virtualIps
        .list()
        .filter(v -> v.getMetadata().getDeletionTimestamp() == null)
        .filter(v -> !ServiceVirtualIps.services(v).isEmpty())
        .filter(
            v ->
                ServiceVirtualIps.services(v).stream()
                    .noneMatch(id -> services.get(resourceId(id)).isPresent()))
        .forEach(
            v -> {
              client.resource(v).delete();
              created.remove(v.getMetadata().getName());
              LOG.info(
                  "{}: deleted, none of {} exists",
                  v.getMetadata().getName(),
                  ServiceVirtualIps.services(v));
            });
  }

  /** Creates a VirtualIP reserved in {@code created}; a failed creation frees the reservation. */
  private void create(VirtualIP vip) {
    String name = vip.getMetadata().getName();
    VirtualIP made;
    try {
      made = client.resource(vip).create();
    } catch (RuntimeException e) {
      synchronized (deciding) {
        if (created.get(name) == vip) {
          created.remove(name);
        }
      }
      if (e instanceof KubernetesClientException k && k.getCode() == 409) {
        // taken meanwhile (another replica a moment ago, or a VirtualIP of its own): the retry
        // reads it and decides again
        throw new IllegalStateException("VirtualIP " + name + " exists already; deciding again", e);
      }
      throw e;
    }
    virtualIps.handleRecentResourceCreate(ResourceID.fromResource(made), made);
    synchronized (deciding) {
      created.computeIfPresent(name, (n, reserved) -> made);
    }
    LOG.info("{}: created for {}", name, ServiceVirtualIps.services(made));
  }

  /** Adds the Service to a shared address's VirtualIP (optimistic: a conflict is retried). */
  private void join(String name, Service service) {
    VirtualIP vip = virtualIps.get(new ResourceID(name)).orElseThrow();
    List<String> users = new ArrayList<>(ServiceVirtualIps.services(vip));
    users.add(ServiceRequests.id(service));
    patchUsers(vip, users);
  }

  /** Takes the Service off a VirtualIP; the last one to leave deletes it. */
  private void leave(String name, String serviceId) {
    Optional<VirtualIP> found = virtualIps.get(new ResourceID(name));
    if (found.isEmpty()) {
      return;
    }
    VirtualIP vip = found.get();
    if (vip.getMetadata().getDeletionTimestamp() != null) {
      return; // going already (its agents are releasing the address)
    }
    List<String> users = new ArrayList<>(ServiceVirtualIps.services(vip));
    users.remove(serviceId);
    if (users.isEmpty()) {
      client.resource(vip).delete();
      created.remove(name); // else a VirtualIP deleted before its informer listed it stays held
      LOG.info("{}: deleted, {} gave it up", name, serviceId);
      return;
    }
    patchUsers(vip, users);
  }

  private void patchUsers(VirtualIP vip, List<String> users) {
    Map<String, Object> patch =
        Map.of(
            "metadata",
            Map.of(
                "resourceVersion",
                vip.getMetadata().getResourceVersion(),
                "annotations",
                Map.of(LoadBalancers.SERVICES_ANNOTATION, String.join(",", users))));
    VirtualIP patched =
        client
            .resources(VirtualIP.class)
            .withName(vip.getMetadata().getName())
            .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
    virtualIps.handleRecentResourceUpdate(ResourceID.fromResource(patched), patched, vip);
  }

  /**
   * Writes a VirtualIP's nodes and handover mark (optimistic: a conflict is retried with what the
   * API holds then).
   */
  private void patchNodes(LoadBalancerDecision.NodesChange change) {
    VirtualIP vip = virtualIps.get(new ResourceID(change.name())).orElseThrow();
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("resourceVersion", vip.getMetadata().getResourceVersion());
    Map<String, Object> annotations = new LinkedHashMap<>();
    annotations.put(
        LoadBalancers.HANDOVER_ANNOTATION,
        change.step().handoverSince() == null ? null : change.step().handoverSince().toString());
    metadata.put("annotations", annotations);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("nodeNames", change.step().nodeNames());
    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("metadata", metadata);
    patch.put("spec", spec);
    VirtualIP patched =
        client
            .resources(VirtualIP.class)
            .withName(change.name())
            .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
    virtualIps.handleRecentResourceUpdate(ResourceID.fromResource(patched), patched, vip);
    LOG.info(
        "{}: nodes {}{}",
        change.name(),
        change.step().nodeNames() == null ? "any" : change.step().nodeNames(),
        change.step().handoverSince() == null
            ? ""
            : " (master handing over since " + change.step().handoverSince() + ")");
  }

  private void writeIngress(Service service, List<LoadBalancerIngress> ingress) {
    List<LoadBalancerIngress> now =
        service.getStatus() == null || service.getStatus().getLoadBalancer() == null
            ? List.of()
            : service.getStatus().getLoadBalancer().getIngress();
    if (Objects.equals(now, ingress)) {
      return;
    }
    Service status =
        new ServiceBuilder()
            .withNewMetadata()
            .withNamespace(service.getMetadata().getNamespace())
            .withName(service.getMetadata().getName())
            .endMetadata()
            .withNewStatus()
            .withNewLoadBalancer()
            .withIngress(ingress)
            .endLoadBalancer()
            .endStatus()
            .build();
    client.services().resource(status).patchStatus();
  }

  /**
   * A write the decision led to failed (JOSDK retries with back-off): the Service says why, once
   * per message, so a refusal (RBAC, admission) is not only in the operator's log. A creation that
   * lost a race is retried quietly.
   */
  @Override
  public ErrorStatusUpdateControl<Service> updateErrorStatus(
      Service service, Context<Service> context, Exception e) {
    boolean raced =
        e instanceof IllegalStateException
            && e.getCause() instanceof KubernetesClientException k
            && k.getCode() == 409;
    if (!raced && !context.isPrimaryResourceDeleted()) {
      try {
        tell(
            service,
            new Notice(EventType.WARNING, Reason.LOAD_BALANCER_FAILED, "retrying: " + describe(e)));
      } catch (RuntimeException unrecorded) {
        LOG.warn(
            "{}: could not record why it failed: {}",
            ServiceRequests.id(service),
            unrecorded.toString());
      }
    }
    return ErrorStatusUpdateControl.defaultErrorProcessing();
  }

  /** The failure in one line: the API server's answer when it gave one. */
  static String describe(Exception e) {
    if (e instanceof KubernetesClientException k && k.getStatus() != null) {
      return k.getCode() + " " + k.getStatus().getReason() + ": " + k.getStatus().getMessage();
    }
    String said = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? said : said + " (" + root + ")";
  }

  private void tell(Service service, Notice notice) {
    String said = notice.reason() + ": " + notice.message();
    if (said.equals(told.put(service.getMetadata().getUid(), said))) {
      return;
    }
    events.record(service, notice);
  }
}
