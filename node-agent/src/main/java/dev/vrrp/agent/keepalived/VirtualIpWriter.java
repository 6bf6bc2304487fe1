package dev.vrrp.agent.keepalived;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vrrp.agent.config.AnnounceSettings;
import dev.vrrp.agent.keepalived.Notice.Severity;
import dev.vrrp.api.AgentDefaults;
import dev.vrrp.api.Problem;
import dev.vrrp.api.Problems;
import dev.vrrp.api.text.Durations;
import dev.vrrp.api.v1alpha1.Authentication;
import dev.vrrp.api.v1alpha1.HealthCheck;
import dev.vrrp.api.v1alpha1.SpecRules;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * VirtualIP manifests, one per vrrp_instance, with a Secret for a PASS password. A VirtualIP says
 * what the instance is cluster-wide: what keepalived.conf says per node (priority, state, source
 * address, peers) is left to the operator, and said so. Each spec is checked by {@link SpecRules}.
 */
final class VirtualIpWriter {
  private static final List<String> SPEC_ORDER =
      List.of(
          "addresses",
          "interface",
          "virtualRouterId",
          "version",
          "advertisementInterval",
          "preempt",
          "preemptDelay",
          "unicast",
          "authentication",
          "track");

  private static final String ANNOUNCE_DEFAULTS =
      "(repeat "
          + AnnounceSettings.DEFAULT.repeat()
          + ", delay "
          + Durations.format(AnnounceSettings.DEFAULT.delay())
          + ", refresh "
          + Durations.format(AnnounceSettings.DEFAULT.refresh())
          + ")";

  private VirtualIpWriter() {}

  static Written write(Conversion conversion, String secretNamespace, Location file) {
    List<String> documents = new ArrayList<>();
    NoticeList notices = new NoticeList();
    Map<String, String> names = new HashMap<>();
    for (ImportedInstance instance : conversion.instances()) {
      String name = kubernetesName(instance.name);
      if (!name.equals(instance.name)) {
        notices.info(instance.declaration, "named " + name + " (Kubernetes names are lower case)");
      }
      String before = names.putIfAbsent(name, instance.name);
      if (before != null) {
        // the second manifest would replace the first one on kubectl apply
        notices.error(
            instance.declaration,
            "its VirtualIP would be " + name + " like that of " + before + "; rename one instance");
      }
      notices.info(
          instance.declaration,
          "selects every node; set spec.nodeSelector to the nodes that ran this keepalived.conf");
      perNode(instance, notices);
      VirtualIPSpec spec = spec(instance, name, secretNamespace);
      if (instance.password != null) {
        documents.add(Yaml.write(secret(name, secretNamespace, instance.password)));
      }
      documents.add(Yaml.write(virtualIp(name, spec)));
      check(instance, spec, notices);
    }
    if (conversion.instances().isEmpty()) {
      notices.add(
          new Notice(file, Severity.ERROR, "keepalived.conf", "no vrrp_instance to convert"));
    }
    String yaml =
        "# kubectl apply -f: converted from keepalived.conf by node-agent import\n"
            + String.join("---\n", documents)
            + ServiceSkeleton.comment(conversion.virtualServers());
    return new Written(yaml, notices.list());
  }

  private static VirtualIPSpec spec(ImportedInstance i, String name, String secretNamespace) {
    VirtualIPSpec spec = new VirtualIPSpec();
    spec.setAddresses(new ArrayList<>(i.addresses));
    spec.setInterfaceName(i.interfaceName);
    spec.setVirtualRouterId(i.virtualRouterId);
    spec.setVersion(i.version);
    spec.setAdvertisementInterval(Seconds.format(i.advertisementInterval));
    spec.setPreempt(i.preempt);
    spec.setPreemptDelay(i.preemptDelay == null ? null : Seconds.format(i.preemptDelay));
    spec.setUnicast(i.unicastPeers.isEmpty() ? null : true);
    if (i.password != null) {
      Authentication.SecretKeyRef ref = new Authentication.SecretKeyRef();
      ref.setNamespace(secretNamespace);
      ref.setName(secretName(name));
      ref.setKey("password");
      Authentication auth = new Authentication();
      auth.setPasswordSecretRef(ref);
      spec.setAuthentication(auth);
    }
    spec.setTrack(new ArrayList<>(i.track.stream().filter(c -> !outsideTrackDir(c)).toList()));
    return spec;
  }

  /** A file check a VirtualIP cannot have: the agent pods see only one node directory. */
  private static boolean outsideTrackDir(HealthCheck check) {
    return "file".equals(check.getType())
        && check.getPath() != null
        && !check.getPath().startsWith(AgentDefaults.TRACK_FILE_DIR);
  }

  /** The settings a VirtualIP does not have per node, each said once. */
  private static void perNode(ImportedInstance i, NoticeList notices) {
    if (i.hasOrigin("priority")) {
      notices.info(
          i.originOf("priority"),
          "not in a VirtualIP (priority "
              + i.priority
              + " is this node's): the operator ranks the nodes; pin them with spec.priorities:"
              + " [{node, priority}]");
    }
    if (i.sourceAddress != null) {
      notices.info(i.originOf("sourceAddress"), "not needed: each node sends from its own address");
    }
    if (!i.unicastPeers.isEmpty()) {
      notices.info(
          i.originOf("unicastPeers[0]"),
          "converted as spec.unicast: true: the peers are the other selected nodes' InternalIPs");
    }
    if (i.virtualMac) {
      notices.warning(i.originOf("virtualMac"), "not converted: a VirtualIP has no virtualMac");
    }
    if (i.checksumV2) {
      notices.warning(
          i.originOf("checksum"),
          "not converted: a VirtualIP sends RFC 5798 checksums (it accepts both styles)");
    }
    for (String field : List.of("announce.repeat", "announce.delay", "announce.refresh")) {
      if (i.hasOrigin(field)) {
        notices.warning(
            i.originOf(field),
            "not converted: a VirtualIP announces with the defaults " + ANNOUNCE_DEFAULTS);
      }
    }
    for (int t = 0; t < i.track.size(); t++) {
      if (outsideTrackDir(i.track.get(t))) {
        notices.error(
            i.originOf("track[" + t + "]"),
            "not converted: a VirtualIP's file check reads a file in "
                + AgentDefaults.TRACK_FILE_DIR
                + " on the node (the one node directory the agent pods see); have the tool that"
                + " writes "
                + i.track.get(t).getPath()
                + " write there and set path");
      }
      if ("exec".equals(i.track.get(t).getType())) {
        notices.warning(
            i.originOf("track[" + t + "]"),
            "the command runs in the agent's container (host network, but not the host's files"
                + " or processes): it must exist in the image; http, tcp and gateway checks need"
                + " nothing");
      }
    }
  }

  private static void check(ImportedInstance i, VirtualIPSpec spec, NoticeList notices) {
    Problems found = new Problems();
    if (i.password != null) {
      SpecRules.password(found, "spec.authentication.password", i.password);
    }
    List<Problem> problems = new ArrayList<>(found.list());
    problems.addAll(SpecRules.problems(spec));
    for (Problem problem : problems) {
      String field = problem.field().startsWith("spec.") ? problem.field().substring(5) : "";
      Word origin = i.originOf(field);
      notices.add(
          new Notice(
              origin.at(),
              Severity.ERROR,
              origin.text(),
              "the VirtualIP rules refuse the result: " + problem));
    }
  }

  private static Map<String, Object> secret(String name, String namespace, String password) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", secretName(name));
    metadata.put("namespace", namespace);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("apiVersion", "v1");
    out.put("kind", "Secret");
    out.put("metadata", metadata);
    out.put("stringData", Map.of("password", password));
    return out;
  }

  private static Map<String, Object> virtualIp(String name, VirtualIPSpec spec) {
    ObjectNode tree = Yaml.MAPPER.valueToTree(spec);
    prune(tree);
    Map<String, Object> ordered = new LinkedHashMap<>();
    for (String key : SPEC_ORDER) {
      if (tree.has(key) && !empty(tree.get(key))) {
        ordered.put(key, tree.get(key));
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!ordered.containsKey(field.getKey()) && !empty(field.getValue())) {
        ordered.put(field.getKey(), field.getValue());
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("apiVersion", HasMetadata.getApiVersion(VirtualIP.class));
    out.put("kind", HasMetadata.getKind(VirtualIP.class));
    out.put("metadata", Map.of("name", name));
    out.put("spec", ordered);
    return out;
  }

  /** Drops unset and empty fields at every level: the spec's defaults need not be printed. */
  private static void prune(JsonNode node) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        JsonNode value = it.next().getValue();
        prune(value);
        if (empty(value)) {
          it.remove();
        }
      }
    } else if (node.isArray()) {
      node.forEach(VirtualIpWriter::prune);
    }
  }

  private static boolean empty(JsonNode node) {
    return node.isNull() || (node.isContainerNode() && node.isEmpty());
  }

  /** keepalived's names ({@code VI_1}) as a Kubernetes name: lower case, '-' for the rest. */
  static String kubernetesName(String name) {
    String out =
        name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-").replaceAll("^[^a-z0-9]+", "");
    out = out.replaceAll("[^a-z0-9]+$", "");
    if (out.length() > 200) {
      out = out.substring(0, 200);
    }
    return out.isEmpty() ? "keepalived" : out;
  }

  private static String secretName(String name) {
    return name + "-vrrp-password";
  }
}
