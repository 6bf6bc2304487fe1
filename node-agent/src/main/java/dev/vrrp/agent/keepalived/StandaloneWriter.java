package dev.vrrp.agent.keepalived;

import dev.vrrp.agent.config.ConfigException;
import dev.vrrp.agent.config.ConfigLoader;
import dev.vrrp.agent.keepalived.Notice.Severity;
import dev.vrrp.api.v1alpha1.Authentication;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standalone config ({@code node-agent run --config}), one file per node like keepalived.conf,
 * read back by {@link ConfigLoader} so that what it prints is what the agent accepts, or says why
 * not.
 */
final class StandaloneWriter {
  private static final Pattern INSTANCE_FIELD = Pattern.compile("instances\\[(\\d+)]\\.?(.*)");

  private StandaloneWriter() {}

  static Written write(Conversion conversion, Location file) {
    List<Map<String, Object>> instances = new ArrayList<>();
    for (ImportedInstance instance : conversion.instances()) {
      instances.add(instance(instance));
    }
    String yaml =
        "# node-agent run --config: converted from keepalived.conf by node-agent import\n"
            + Yaml.write(Map.of("instances", instances))
            + ServiceSkeleton.comment(conversion.virtualServers());
    return new Written(yaml, check(yaml, conversion.instances(), file));
  }

  private static Map<String, Object> instance(ImportedInstance i) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", i.name);
    out.put("interface", i.interfaceName);
    out.put("virtualRouterId", i.virtualRouterId);
    out.put("priority", i.priority);
    out.put("version", i.version);
    out.put("advertisementInterval", Seconds.format(i.advertisementInterval));
    out.put("preempt", i.preempt);
    if (i.preemptDelay != null) {
      out.put("preemptDelay", Seconds.format(i.preemptDelay));
    }
    out.put("addresses", i.addresses);
    if (i.password != null) {
      Map<String, Object> authentication = new LinkedHashMap<>();
      authentication.put("type", Authentication.PASS);
      authentication.put("password", i.password);
      out.put("authentication", authentication);
    }
    if (!i.unicastPeers.isEmpty()) {
      out.put("unicastPeers", i.unicastPeers);
    }
    if (i.sourceAddress != null) {
      out.put("sourceAddress", i.sourceAddress);
    }
    if (i.virtualMac) {
      out.put("virtualMac", true);
    }
    if (i.checksumV2) {
      out.put("checksum", "v2");
    }
    Map<String, Object> announce = new LinkedHashMap<>();
    if (i.announceRepeat != null) {
      announce.put("repeat", i.announceRepeat);
    }
    if (i.announceDelay != null) {
      announce.put("delay", Seconds.format(i.announceDelay));
    }
    if (i.announceRefresh != null) {
      announce.put("refresh", Seconds.format(i.announceRefresh));
    }
    if (!announce.isEmpty()) {
      out.put("announce", announce);
    }
    if (!i.track.isEmpty()) {
      out.put("track", i.track.stream().map(CheckMaps::of).toList());
    }
    out.values().removeIf(v -> v == null);
    return out;
  }

  /** What ConfigLoader refuses in the printed text, each at the keepalived line it came from. */
  private static List<Notice> check(String yaml, List<ImportedInstance> instances, Location file) {
    try {
      ConfigLoader.parse(yaml);
      return List.of();
    } catch (ConfigException e) {
      List<Notice> out = new ArrayList<>();
      for (String problem : e.problems()) {
        String field = problem.substring(0, Math.max(problem.indexOf(": "), 0));
        Matcher m = INSTANCE_FIELD.matcher(field);
        Word origin = null;
        if (m.matches() && Integer.parseInt(m.group(1)) < instances.size()) {
          origin = instances.get(Integer.parseInt(m.group(1))).originOf(m.group(2));
        }
        out.add(
            origin == null
                ? new Notice(
                    file,
                    Severity.ERROR,
                    "keepalived.conf",
                    "the agent refuses the result: " + problem)
                : new Notice(
                    origin.at(),
                    Severity.ERROR,
                    origin.text(),
                    "the agent refuses the result: " + problem));
      }
      return out;
    }
  }
}
