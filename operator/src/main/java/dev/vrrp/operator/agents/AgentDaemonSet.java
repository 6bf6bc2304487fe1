package dev.vrrp.operator.agents;

import dev.vrrp.api.AgentDefaults;
import dev.vrrp.api.NodeMaintenance;
import dev.vrrp.api.http.HttpEndpoints;
import dev.vrrp.api.text.Durations;
import dev.vrrp.api.v1alpha1.OperatorManager;
import dev.vrrp.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Renders the one agent DaemonSet that serves every VirtualIP: one agent per node runs a VRRP
 * instance for each VirtualIP that plans that node (as keepalived runs many instances in one
 * daemon), never a pod per VirtualIP. Pure.
 *
 * <ul>
 *   <li>Nodes: required node affinity with one term per distinct VirtualIP nodeSelector (terms are
 *       ORed); a VirtualIP with an empty selector selects every node, so then there is no affinity
 *       at all. Tolerations: the union of all VirtualIPs' tolerations. Both sorted, so the
 *       rendering does not depend on list order.
 *   <li>{@code hostNetwork} (VRRP and the addresses live on the node's interfaces), DNS policy
 *       ClusterFirstWithHostNet; every capability dropped but NET_ADMIN (addresses) and NET_RAW
 *       (VRRP is IP protocol 112; gratuitous ARP); no privilege escalation; read-only root file
 *       system with an in-memory /tmp (JNA and the JVM unpack there); seccomp RuntimeDefault. The
 *       agent runs as root because Kubernetes grants added capabilities to uid 0 only (no ambient
 *       capabilities).
 *   <li>Node identity from the downward API: NODE_NAME = spec.nodeName, HOST_IP = status.hostIP.
 *   <li>Admin HTTP (/healthz, /metrics, /state) on {@code $(HOST_IP):9477}: with hostNetwork,
 *       {@code 0.0.0.0} would also answer on every virtual address the node holds (and so on the
 *       floating service addresses, from anywhere they are reachable), while 127.0.0.1 is out of
 *       reach of Prometheus and needs probes with {@code host: 127.0.0.1}. The node's own address
 *       is the pod IP of a hostNetwork pod, so kubelet probes and pod-IP scraping work unchanged.
 *       The agent splits host and port at the last colon, so IPv6 works too.
 *   <li>Owned by the operator's Deployment when {@link Settings#ownerDeployment} names it: deleting
 *       the operator ({@code helm uninstall}) lets the garbage collector delete the agents, whose
 *       masters resign and remove their addresses, instead of leaving agents that hold VIPs with
 *       nobody to manage them.
 *   <li>{@code terminationGracePeriodSeconds} (default {@value #DEFAULT_GRACE_PERIOD}): on SIGTERM
 *       every master sends a priority-0 advertisement and removes its addresses, so a backup takes
 *       over after the skew time instead of the master-down interval; the grace period must cover
 *       that and the final status write.
 *   <li>Rolling update one node at a time, the next node only {@value #MIN_READY_SECONDS} s after
 *       the new agent is ready (it has decided its plan and runs its instances as backups), so a
 *       preemption back to it settles before the next master resigns: a VirtualIP is never without
 *       a holder for longer than one priority-0 handover. No CPU limit (throttling would delay
 *       advertisements and cause spurious failovers), a memory limit above the JVM flags' sum.
 * </ul>
 */
public final class AgentDaemonSet {
  public static final String NAME = "vrrp-agent";
  public static final String SERVICE_ACCOUNT = "vrrp-agent";
  static final String CONTAINER = "agent";
  static final int ADMIN_PORT = 9477;

  /** The admin port's name, which the chart's PodMonitor scrapes. */
  public static final String ADMIN_PORT_NAME = "admin";

  public static final String JAR = "/opt/vrrp/node-agent.jar";

  /**
   * The node's plan, kept for an agent restarted during an API outage: a hostPath under /run (in
   * memory: it survives the container, not a reboot; the root file system is read-only).
   */
  static final String STATE_DIR = AgentDefaults.STATE_DIR;

  /** The agent's JVM flags (one list, {@link AgentDefaults#JVM_FLAGS}). */
  static final List<String> JVM_FLAGS = AgentDefaults.JVM_FLAGS;

  public static final String DEFAULT_IMAGE = "ghcr.io/vrrp-dev/node-agent:0.1.0";

  /**
   * The agents' default terminationGracePeriodSeconds, as the command line writes it (its {@code
   * --agent-grace-period} defaults to this).
   */
  public static final String DEFAULT_GRACE_PERIOD = "30s";

  /** Seconds a new agent must be ready before the rolling update moves to the next node. */
  static final int MIN_READY_SECONDS = 5;

  /** Hash of the rendered spec; the operator re-applies only when it changes. */
  static final String HASH_ANNOTATION = "vrrp.dev/rendered-hash";

  /**
   * The DaemonSet's selector. The API server never lets a selector change, so only labels that will
   * never change belong here; the others are added by {@link #LABELS}.
   */
  public static final Map<String, String> SELECTOR_LABELS =
      Map.of(
          "app.kubernetes.io/name", "vrrp-agent",
          "app.kubernetes.io/component", "agent");

  /** The label that says who manages the DaemonSet: {@link OperatorManager#NAME}. */
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  /**
   * The application the DaemonSet belongs to, as the chart labels every object of the release
   * ({@code app.kubernetes.io/part-of} in charts/vrrp-operator/templates/_helpers.tpl; the chart's
   * ChartRenderTest holds the two together). The same value as {@link OperatorManager#NAME}, but
   * not the same thing: this names the product, that the writer.
   */
  public static final String PART_OF = "vrrp-operator";

  /**
   * The DaemonSet's and its pods' labels, built on {@link #SELECTOR_LABELS}: the API server rejects
   * a pod template that lacks one of the selector's labels.
   */
  static final Map<String, String> LABELS =
      withSelectorLabels(
          Map.of("app.kubernetes.io/part-of", PART_OF, MANAGED_BY, OperatorManager.NAME));

  /**
   * What the rendering depends on besides the VirtualIPs.
   *
   * @param namespace the operator's namespace (the DaemonSet lives there)
   * @param image the agent image
   * @param heartbeat how often agents refresh their status entries (env HEARTBEAT)
   * @param terminationGracePeriod how long an agent may take to resign on SIGTERM
   * @param ownerDeployment the operator's Deployment in {@code namespace}, the DaemonSet's owner,
   *     or null for none
   * @param labelNamespace whether the namespace gets the privileged Pod Security labels
   */
  public record Settings(
      String namespace,
      String image,
      Duration heartbeat,
      Duration terminationGracePeriod,
      String ownerDeployment,
      boolean labelNamespace) {
    /** Without an owner or namespace labels (tests, a single operator run by hand). */
    public Settings(
        String namespace, String image, Duration heartbeat, Duration terminationGracePeriod) {
      this(namespace, image, heartbeat, terminationGracePeriod, null, false);
    }

    public Settings {
      Objects.requireNonNull(namespace, "namespace");
      image = image == null || image.isBlank() ? DEFAULT_IMAGE : image;
      heartbeat = heartbeat == null ? AgentDefaults.heartbeat() : heartbeat;
      terminationGracePeriod =
          terminationGracePeriod == null
              ? Durations.parse(DEFAULT_GRACE_PERIOD)
              : terminationGracePeriod;
    }
  }

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private AgentDaemonSet() {}

  /** The container command: the JVM with small-footprint flags, the agent in Kubernetes mode. */
  public static List<String> command() {
    List<String> command = new ArrayList<>();
    command.add("java");
    command.addAll(JVM_FLAGS);
    command.add("-jar");
    command.add(JAR);
    command.add("kubernetes");
    return List.copyOf(command);
  }

  /** The DaemonSet for these VirtualIPs without an owner, or null when there are none. */
  static DaemonSet render(Settings settings, Collection<VirtualIP> vips) {
    return render(settings, vips, null);
  }

  /**
   * The DaemonSet for these VirtualIPs, or null when there are none (then no agents run).
   *
   * @param owner the operator's Deployment, or null for none
   */
  static DaemonSet render(Settings settings, Collection<VirtualIP> vips, Deployment owner) {
    if (vips.isEmpty()) {
      return null;
    }
    List<EnvVar> env =
        List.of(
            new EnvVarBuilder()
                .withName("NODE_NAME")
                .withNewValueFrom()
                .withNewFieldRef()
                .withApiVersion("v1")
                .withFieldPath("spec.nodeName")
                .endFieldRef()
                .endValueFrom()
                .build(),
            new EnvVarBuilder()
                .withName("HOST_IP")
                .withNewValueFrom()
                .withNewFieldRef()
                .withApiVersion("v1")
                .withFieldPath("status.hostIP")
                .endFieldRef()
                .endValueFrom()
                .build(),
            new EnvVarBuilder()
                .withName("POD_NAMESPACE")
                .withNewValueFrom()
                .withNewFieldRef()
                .withApiVersion("v1")
                .withFieldPath("metadata.namespace")
                .endFieldRef()
                .endValueFrom()
                .build(),
            new EnvVarBuilder()
                .withName("ADMIN_ADDRESS")
                .withValue("$(HOST_IP):" + ADMIN_PORT)
                .build(),
            new EnvVarBuilder()
                .withName("HEARTBEAT")
                .withValue(Durations.format(settings.heartbeat()))
                .build());

    DaemonSet ds =
        new DaemonSetBuilder()
            .withNewMetadata()
            .withName(NAME)
            .withNamespace(settings.namespace())
            .withLabels(new TreeMap<>(LABELS))
            .withOwnerReferences(owner == null ? List.of() : List.of(ownerReference(owner)))
            .endMetadata()
            .withNewSpec()
            .withMinReadySeconds(MIN_READY_SECONDS)
            .withNewSelector()
            .withMatchLabels(new TreeMap<>(SELECTOR_LABELS))
            .endSelector()
            .withNewUpdateStrategy()
            .withType("RollingUpdate")
            .withNewRollingUpdate()
            .withNewMaxUnavailable(1)
            .endRollingUpdate()
            .endUpdateStrategy()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(new TreeMap<>(LABELS))
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName(SERVICE_ACCOUNT)
            .withHostNetwork(true)
            .withDnsPolicy("ClusterFirstWithHostNet")
            .withTerminationGracePeriodSeconds(settings.terminationGracePeriod().toSeconds())
            .withNewSecurityContext()
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .withAffinity(affinity(vips))
            .withTolerations(tolerations(vips))
            .addNewContainer()
            .withName(CONTAINER)
            .withImage(settings.image())
            .withImagePullPolicy("IfNotPresent")
            .withCommand(command())
            .withEnv(env)
            .addNewPort()
            .withName(ADMIN_PORT_NAME)
            .withContainerPort(ADMIN_PORT)
            .withHostPort(ADMIN_PORT)
            .withProtocol("TCP")
            .endPort()
            .withLivenessProbe(probe(HttpEndpoints.HEALTHZ, 10, 3))
            .withReadinessProbe(probe(HttpEndpoints.READYZ, 5, 2))
            .withNewResources()
            .withRequests(
                new TreeMap<>(Map.of("cpu", new Quantity("50m"), "memory", new Quantity("96Mi"))))
            .withLimits(new TreeMap<>(Map.of("memory", new Quantity("320Mi"))))
            .endResources()
            .withNewSecurityContext()
            .withAllowPrivilegeEscalation(false)
            .withPrivileged(false)
            .withReadOnlyRootFilesystem(true)
            .withNewCapabilities()
            .withDrop("ALL")
            .withAdd("NET_ADMIN", "NET_RAW")
            .endCapabilities()
            .endSecurityContext()
            .addNewVolumeMount()
            .withName("tmp")
            .withMountPath("/tmp")
            .endVolumeMount()
            .addNewVolumeMount()
            .withName("state")
            .withMountPath(STATE_DIR)
            .endVolumeMount()
            .addNewVolumeMount()
            .withName("host-proc")
            .withMountPath(AgentDefaults.HOST_PROC)
            .withReadOnly(true)
            .endVolumeMount()
            .endContainer()
            .addNewVolume()
            .withName("tmp")
            .withNewEmptyDir()
            .withMedium("Memory")
            .withSizeLimit(new Quantity("32Mi"))
            .endEmptyDir()
            .endVolume()
            .addNewVolume()
            .withName("state")
            .withNewHostPath()
            .withPath(STATE_DIR)
            .withType("DirectoryOrCreate")
            .endHostPath()
            .endVolume()
            // process checks look for the node's processes; the pod's own /proc shows only its own
            .addNewVolume()
            .withName("host-proc")
            .withNewHostPath()
            .withPath("/proc")
            .withType("Directory")
            .endHostPath()
            .endVolume()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    ds.getMetadata().setAnnotations(new TreeMap<>(Map.of(HASH_ANNOTATION, hash(ds))));
    return ds;
  }

  /**
   * Not the controller (the DaemonSet controller is), and no blockOwnerDeletion, which would need
   * permission on the Deployment's finalizers: the garbage collector deletes the DaemonSet after
   * the Deployment either way.
   */
  private static OwnerReference ownerReference(Deployment owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion("apps/v1")
        .withKind("Deployment")
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .build();
  }

  /**
   * One term per distinct non-empty selector; null (every node) when some VirtualIP selects every
   * node.
   */
  static Affinity affinity(Collection<VirtualIP> vips) {
    TreeMap<String, Map<String, String>> distinct = new TreeMap<>();
    for (VirtualIP vip : vips) {
      Map<String, String> selector =
          vip.getSpec() == null || vip.getSpec().getNodeSelector() == null
              ? Map.of()
              : vip.getSpec().getNodeSelector();
      if (selector.isEmpty()) {
        return null;
      }
      TreeMap<String, String> sorted = new TreeMap<>(selector);
      distinct.put(sorted.toString(), sorted);
    }
    List<NodeSelectorTerm> terms = new ArrayList<>();
    for (Map<String, String> selector : distinct.values()) {
      NodeSelectorTermBuilder term = new NodeSelectorTermBuilder();
      selector.forEach(
          (key, value) ->
              term.addToMatchExpressions(
                  new NodeSelectorRequirementBuilder()
                      .withKey(key)
                      .withOperator("In")
                      .withValues(value)
                      .build()));
      terms.add(term.build());
    }
    return new AffinityBuilder()
        .withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .withNodeSelectorTerms(terms)
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity()
        .build();
  }

  /**
   * The union of all tolerations, deduplicated and sorted, and {@link NodeMaintenance#DRAIN_TAINT}
   * with any effect: a drained node keeps its agent, which hands over and stays a backup there.
   */
  static List<Toleration> tolerations(Collection<VirtualIP> vips) {
    Map<String, Toleration> distinct = new TreeMap<>();
    Toleration drain =
        new TolerationBuilder().withKey(NodeMaintenance.DRAIN_TAINT).withOperator("Exists").build();
    distinct.put(identity(drain), drain);
    for (VirtualIP vip : vips) {
      if (vip.getSpec() == null || vip.getSpec().getTolerations() == null) {
        continue;
      }
      for (Toleration t : vip.getSpec().getTolerations()) {
        Toleration copy =
            new TolerationBuilder()
                .withKey(emptyToNull(t.getKey()))
                .withOperator(emptyToNull(t.getOperator()))
                .withValue(emptyToNull(t.getValue()))
                .withEffect(emptyToNull(t.getEffect()))
                .withTolerationSeconds(t.getTolerationSeconds())
                .build();
        distinct.put(identity(copy), copy);
      }
    }
    return new ArrayList<>(distinct.values());
  }

  private static String identity(Toleration t) {
    return String.join(
        "\u0000",
        String.valueOf(t.getKey()),
        String.valueOf(t.getOperator()),
        String.valueOf(t.getValue()),
        String.valueOf(t.getEffect()),
        String.valueOf(t.getTolerationSeconds()));
  }

  /**
   * /healthz answers while the process does; /readyz only while it can run VRRP (libpcap, raw
   * sockets).
   */
  private static Probe probe(String path, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withNewPort("admin")
        .withScheme("HTTP")
        .endHttpGet()
        .withInitialDelaySeconds(5)
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(2)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  /** A short SHA-256 of the object without the hash annotation. */
  static String hash(DaemonSet ds) {
    Map<String, String> annotations = ds.getMetadata().getAnnotations();
    Map<String, String> without = annotations == null ? null : new LinkedHashMap<>(annotations);
    if (without != null) {
      without.remove(HASH_ANNOTATION);
    }
    DaemonSet copy =
        new DaemonSetBuilder(ds).editMetadata().withAnnotations(without).endMetadata().build();
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(SERIALIZATION.asJson(copy).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> withSelectorLabels(Map<String, String> more) {
    Map<String, String> labels = new TreeMap<>(SELECTOR_LABELS);
    labels.putAll(more);
    return Map.copyOf(labels);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
