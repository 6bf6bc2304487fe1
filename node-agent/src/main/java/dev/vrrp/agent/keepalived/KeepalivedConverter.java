package dev.vrrp.agent.keepalived;

import dev.vrrp.api.v1alpha1.LoadBalancers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The top level of keepalived.conf: {@code global_defs}, the {@code vrrp_script}s and the sync
 * groups' members first (an instance may use a script defined after it), then every block in order.
 */
final class KeepalivedConverter {
  private KeepalivedConverter() {}

  static Conversion convert(List<Statement> statements) {
    NoticeList early = new NoticeList();
    GlobalDefaults defaults = new GlobalDefaults();
    Map<String, TrackScript> scripts = new LinkedHashMap<>();
    Map<String, TrackFile> files = new LinkedHashMap<>();
    Map<String, TrackProcess> processes = new LinkedHashMap<>();
    Map<String, String> weightlessGroups = new HashMap<>();
    for (Statement s : statements) {
      switch (s.keyword()) {
        case "vrrp_sync_group" -> weightlessGroups.putAll(weightless(s));
        case "global_defs" -> defaults.read(s, early);
        case "vrrp_script" -> {
          TrackScript script = TrackScript.read(s, early);
          scripts.put(script.name.text(), script);
        }
        case "track_file", "vrrp_track_file" -> {
          TrackFile file = TrackFile.read(s, early);
          files.put(file.name.text(), file);
        }
        case "vrrp_track_process" -> {
          TrackProcess process = TrackProcess.read(s, early);
          processes.put(process.name.text(), process);
        }
        default -> {
          // the second pass
        }
      }
    }
    NoticeList notices = new NoticeList();
    early.list().forEach(notices::add);
    List<ImportedInstance> instances = new ArrayList<>();
    List<VirtualServer> virtualServers = new ArrayList<>();
    for (Statement s : statements) {
      if (notices.unexpanded(s)) {
        continue;
      }
      switch (s.keyword()) {
        case "global_defs", "vrrp_script" -> {
          // read above
        }
        case "vrrp_instance" ->
            instances.add(
                InstanceConverter.convert(
                    s,
                    new Definitions(defaults, scripts, files, processes, weightlessGroups),
                    notices));
        case "vrrp_sync_group" ->
            notices.error(
                s,
                (s.arg(0) == null ? "" : s.arg(0) + ": ")
                    + "not converted: there are no sync groups yet, its instances fail over one by"
                    + " one; addresses that must move together belong in one vrrp_instance");
        case "virtual_server" -> {
          VirtualServer server = VirtualServer.read(s);
          if (server != null) {
            virtualServers.add(server);
          }
          notices.warning(
              s,
              "LVS is not converted: on Kubernetes a virtual server is a LoadBalancer Service of"
                  + " class "
                  + LoadBalancers.CLASS
                  + (server != null
                      ? "; a skeleton is commented at the end of the output"
                      : "; write one Service per address and port"));
        }
        case "virtual_server_group" ->
            notices.warning(s, "LVS is not converted: see virtual_server");
        case "track_file", "vrrp_track_file", "vrrp_track_process" -> {
          // read above; checks where an instance tracks them
        }
        case "bfd_instance" -> {
          // reported where an instance tracks it
        }
        case "static_ipaddress", "static_routes", "static_rules" ->
            notices.warning(
                s,
                "not converted: the agent moves virtual addresses only; keep these in the host's network configuration");
        default -> notices.warning(s, "not converted: not a VRRP setting the agent knows");
      }
    }
    return new Conversion(instances, virtualServers, notices.list());
  }

  /**
   * The members of a sync group, each to the group's name, when keepalived ignores their tracking
   * weights (keepalived 2.2.7 keeps them only with {@code sync_group_tracking_weight}).
   */
  private static Map<String, String> weightless(Statement group) {
    Map<String, String> out = new HashMap<>();
    List<Statement> items = group.children();
    if (items.stream().anyMatch(s -> s.keyword().equals("sync_group_tracking_weight"))) {
      return out;
    }
    for (Statement item : items) {
      if (item.keyword().equals("group")) {
        item.children().forEach(member -> out.put(member.keyword(), String.valueOf(group.arg(0))));
      }
    }
    return out;
  }
}
