package dev.vrrp.agent.keepalived;

import dev.vrrp.api.text.IpLiteral;
import dev.vrrp.packet.ProtocolLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** One {@code vrrp_instance} block to an {@link ImportedInstance}, with keepalived's semantics. */
final class InstanceConverter {
  /** keepalived's priority when none is given and the state is not MASTER. */
  static final int KEEPALIVED_PRIORITY = 100;

  private static final Set<String> NOTIFY =
      Set.of(
          "notify",
          "notify_master",
          "notify_backup",
          "notify_fault",
          "notify_stop",
          "notify_deleted",
          "notify_master_rx_lower_pri",
          "notify_priority_changes",
          "smtp_alert");

  /** Keywords that take one word; keepalived ignores the rest of their line. */
  private static final Set<String> ONE_ARGUMENT =
      Set.of(
          "state",
          "interface",
          "virtual_router_id",
          "priority",
          "version",
          "advert_int",
          "preempt_delay",
          "mcast_src_ip",
          "unicast_src_ip",
          "garp_master_repeat",
          "garp_master_delay",
          "garp_master_refresh");

  private final GlobalDefaults defaults;
  private final Definitions definitions;
  private final NoticeList notices;
  private final ImportedInstance instance;

  private Statement state;
  private Statement priority;
  private Statement version;
  private Statement interval;
  private Statement nopreempt;
  private Statement preemptDelay;
  private Statement authType;
  private Statement authPass;
  private final List<AddressLine> addresses = new ArrayList<>();
  private final List<AddressLine> excluded = new ArrayList<>();
  private Word addressesKeyword;

  private InstanceConverter(Statement block, Definitions definitions, NoticeList notices) {
    this.defaults = definitions.defaults();
    this.definitions = definitions;
    this.notices = notices;
    Word name = block.args().isEmpty() ? block.words().get(0) : block.args().get(0);
    this.instance = new ImportedInstance(name.text(), block.words().get(0));
  }

  static ImportedInstance convert(Statement block, Definitions definitions, NoticeList notices) {
    InstanceConverter converter = new InstanceConverter(block, definitions, notices);
    if (block.args().isEmpty()) {
      notices.error(block, "needs a name");
    }
    for (Statement s : block.children()) {
      converter.keyword(s);
    }
    return converter.finish();
  }

  private void keyword(Statement s) {
    String keyword = s.keyword();
    if (notices.unexpanded(s)) {
      return;
    }
    if (ONE_ARGUMENT.contains(keyword)) {
      Numbers.extraWords(s, 1, notices);
    }
    if (NOTIFY.contains(keyword)) {
      notices.warning(
          s,
          keyword.equals("smtp_alert")
              ? GlobalDefaults.MAIL
              : "not converted: the agent runs no notify scripts yet; " + GlobalDefaults.INSTEAD);
      return;
    }
    switch (keyword) {
      case "state" -> state = s;
      case "interface" -> {
        instance.interfaceName = s.arg(0);
        instance.origin("interface", s.words().get(0));
      }
      case "virtual_router_id" -> {
        instance.virtualRouterId = Numbers.integer(s, notices);
        instance.origin("virtualRouterId", s.words().get(0));
      }
      case "priority" -> priority = s;
      case "version" -> version = s;
      case "advert_int" -> interval = s;
      case "nopreempt", "no_preempt" -> nopreempt = s;
      case "preempt" -> {
        // keepalived's default, kept for old files
      }
      case "preempt_delay" -> preemptDelay = s;
      case "mcast_src_ip", "unicast_src_ip" -> {
        instance.sourceAddress = s.arg(0);
        instance.origin("sourceAddress", s.words().get(0));
      }
      case "unicast_peer" -> unicastPeers(s);
      case "authentication" -> authentication(s);
      case "virtual_ipaddress" -> {
        addressesKeyword = s.words().get(0);
        s.children().forEach(line -> addresses.add(AddressLine.read(line)));
      }
      case "virtual_ipaddress_excluded" ->
          s.children().forEach(line -> excluded.add(AddressLine.read(line)));
      case "track_interface" -> Tracking.interfaces(s, syncGroup(), instance, notices);
      case "track_script" ->
          Tracking.tracked(s, definitions.scripts(), "vrrp_script", syncGroup(), instance, notices);
      case "track_file" ->
          Tracking.tracked(s, definitions.files(), "track_file", syncGroup(), instance, notices);
      case "track_process" ->
          Tracking.tracked(
              s, definitions.processes(), "vrrp_track_process", syncGroup(), instance, notices);
      case "garp_master_repeat" -> {
        instance.announceRepeat = Numbers.integer(s, notices);
        instance.origin("announce.repeat", s.words().get(0));
      }
      case "garp_master_delay" -> {
        instance.announceDelay = Numbers.seconds(s, notices);
        instance.origin("announce.delay", s.words().get(0));
      }
      case "garp_master_refresh" -> {
        instance.announceRefresh = Numbers.seconds(s, notices);
        instance.origin("announce.refresh", s.words().get(0));
      }
      case "garp_master_refresh_repeat",
          "garp_lower_prio_delay",
          "garp_lower_prio_repeat",
          "garp_extra_if",
          "garp_extra_if_vmac" ->
          notices.warning(
              s,
              "not converted: the agent announces repeat times on becoming master, again after"
                  + " delay, then every refresh (announce: {repeat, delay, refresh})");
      case "use_vmac" -> {
        instance.virtualMac = true;
        instance.origin("virtualMac", s.words().get(0));
      }
      case "vmac_xmit_base" ->
          notices.warning(s, "not needed: the agent sends from the instance's interface");
      case "v3_checksum_as_v2", "old_unicast_checksum" -> {
        instance.checksumV2 = true;
        instance.origin("checksum", s.words().get(0));
      }
      case "accept" -> notices.info(s, "the agent's addresses always accept traffic (accept mode)");
      case "native_ipv6" ->
          notices.info(s, "not needed: the addresses' family decides (keepalived deprecated it)");
      case "debug", "promote_secondaries", "kernel_rx_buf_size", "linkbeat_use_polling" ->
          notices.warning(s, "not converted: not needed by the agent");
      case "track_bfd" ->
          notices.error(
              s,
              "not converted: the agent has no BFD; use an exec check instead (track: [{type:"
                  + " exec, command: [...]}])");
      case "virtual_routes", "virtual_rules" ->
          notices.error(s, "not converted: the agent moves addresses only, no routes or rules");
      default -> notices.error(s, "not converted: the agent has no equivalent");
    }
  }

  private void unicastPeers(Statement s) {
    for (Statement peer : s.children()) {
      instance.origin("unicastPeers[" + instance.unicastPeers.size() + "]", peer.words().get(0));
      instance.unicastPeers.add(peer.keyword());
      if (!peer.args().isEmpty()) {
        notices.warning(
            peer, "ignored " + peer.arg(0) + " and what follows: the agent checks no peer TTL");
      }
    }
  }

  private void authentication(Statement s) {
    for (Statement item : s.children()) {
      switch (item.keyword()) {
        case "auth_type" -> authType = item;
        case "auth_pass" -> authPass = item;
        default -> notices.error(item, "not converted: authentication has no such setting");
      }
      Numbers.extraWords(item, 1, notices);
    }
  }

  private String syncGroup() {
    return definitions.weightlessGroups().get(instance.name);
  }

  private ImportedInstance finish() {
    // keepalived compares in capitals and reads anything else as BACKUP ("unknown state")
    instance.master = state != null && "MASTER".equals(state.arg(0));
    if (state != null && !instance.master && !"BACKUP".equals(state.arg(0))) {
      notices.warning(
          state,
          "keepalived knows only MASTER and BACKUP, in capitals, and reads "
              + (state.arg(0) == null ? "nothing" : "'" + state.arg(0) + "'")
              + " as BACKUP; converted as BACKUP");
    }
    VirtualAddresses.add(instance, addressesKeyword, addresses, excluded, notices);
    versionAndInterval();
    priorityAndPreemption();
    PassAuthentication.convert(instance, authType, authPass, notices);
    // an instance's own garp_* win over global_defs' vrrp_garp_*
    if (instance.announceRepeat == null && defaults.garpRepeat != null) {
      instance.announceRepeat = defaults.garpRepeat;
      instance.origin("announce.repeat", defaults.origins.get("announce.repeat"));
    }
    if (instance.announceDelay == null && defaults.garpDelay != null) {
      instance.announceDelay = defaults.garpDelay;
      instance.origin("announce.delay", defaults.origins.get("announce.delay"));
    }
    if (instance.announceRefresh == null && defaults.garpRefresh != null) {
      instance.announceRefresh = defaults.garpRefresh;
      instance.origin("announce.refresh", defaults.origins.get("announce.refresh"));
    }
    return instance;
  }

  private void versionAndInterval() {
    int v = defaults.version;
    if (version != null) {
      Integer given = Numbers.integer(version, notices);
      if (given != null) {
        v = given;
      }
      instance.origin("version", version.words().get(0));
    }
    boolean v6 = instance.addresses.stream().anyMatch(IpLiteral::looksLikeIpv6);
    if (v6 && v == 2) {
      notices.info(
          version != null ? version.words().get(0) : instance.declaration,
          "IPv6 runs VRRPv3 (keepalived switches IPv6 instances to version 3 too)");
      v = 3;
    }
    instance.version = v;
    if (interval != null) {
      instance.origin("advertisementInterval", interval.words().get(0));
      Duration given = Numbers.seconds(interval, notices);
      if (given != null && ProtocolLimits.knownVersion(v)) {
        Duration sent = Seconds.advertisementInterval(given, v);
        if (!sent.equals(given)) {
          notices.warning(
              interval,
              "VRRPv"
                  + v
                  + " sends "
                  + Seconds.format(sent)
                  + ", not "
                  + interval.arg(0)
                  + " s; keepalived rounds it the same way");
        }
        instance.advertisementInterval = sent;
      }
    }
  }

  private void priorityAndPreemption() {
    if (priority != null) {
      Integer p = Numbers.integer(priority, notices);
      instance.priority = p == null ? KEEPALIVED_PRIORITY : p;
      instance.origin("priority", priority.words().get(0));
    } else if (instance.master) {
      instance.priority = ProtocolLimits.OWNER_PRIORITY;
      instance.origin("priority", state.words().get(0));
      notices.info(
          state, "without a priority keepalived makes a MASTER the address owner: priority 255");
    } else {
      instance.priority = KEEPALIVED_PRIORITY;
    }
    if (nopreempt != null) {
      instance.origin("preempt", nopreempt.words().get(0));
      if (instance.master) {
        notices.info(
            nopreempt,
            "keepalived ignores nopreempt with state MASTER, so it stays preempt: true; for"
                + " nopreempt give every node state BACKUP");
      } else if (instance.priority == ProtocolLimits.OWNER_PRIORITY) {
        notices.info(
            nopreempt, "keepalived ignores nopreempt with priority 255, so it stays preempt: true");
      } else {
        instance.preempt = false;
      }
    }
    if (preemptDelay != null) {
      instance.origin("preemptDelay", preemptDelay.words().get(0));
      Duration delay = Numbers.seconds(preemptDelay, notices);
      if (delay == null) {
        return;
      }
      if (instance.master) {
        notices.info(
            preemptDelay, "keepalived ignores preempt_delay with state MASTER: not converted");
      } else if (!instance.preempt) {
        notices.info(
            preemptDelay, "keepalived ignores preempt_delay with nopreempt: not converted");
      } else {
        instance.preemptDelay = delay;
      }
    }
  }
}
