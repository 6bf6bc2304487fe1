package dev.vrrp.agent.kubernetes;

import dev.vrrp.agent.config.InstanceSettings;
import dev.vrrp.agent.config.InstanceSettings.VirtualAddress;
import dev.vrrp.packet.IpFamily;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * VirtualIPs that the operator gave the same VRID on the same interface and family share one VRRP
 * instance (how 1000 VirtualIPs fit in 255 VRIDs per segment): one advertisement lists all their
 * addresses. They must agree on everything else; if they do not, none of them runs.
 */
final class SharedInstances {

  /** One VRRP instance and the VirtualIPs it serves. */
  record Group(InstanceSettings settings, List<String> virtualIps, String problem) {}

  private SharedInstances() {}

  static Map<String, Group> group(Map<String, InstanceSettings> byVirtualIp) {
    Map<String, List<Map.Entry<String, InstanceSettings>>> byKey = new TreeMap<>();
    new TreeMap<>(byVirtualIp).entrySet().forEach(e -> byKey.computeIfAbsent(key(e.getValue()),
        k -> new ArrayList<>()).add(e));
    Map<String, Group> groups = new LinkedHashMap<>();
    for (List<Map.Entry<String, InstanceSettings>> members : byKey.values()) {
      List<String> names = members.stream().map(Map.Entry::getKey).toList();
      InstanceSettings first = members.get(0).getValue();
      if (members.size() == 1) {
        groups.put(first.name(), new Group(first, names, null));
        continue;
      }
      List<VirtualAddress> addresses = new ArrayList<>();
      String problem = null;
      for (Map.Entry<String, InstanceSettings> member : members) {
        if (!sameExceptAddresses(first, member.getValue())) {
          problem = "VirtualIPs " + names + " share VRID " + first.virtualRouterId() + " on " + first.interfaceName()
              + " but differ in settings other than addresses";
        }
        addresses.addAll(member.getValue().addresses());
      }
      if (addresses.size() > 255) {
        problem = "VirtualIPs " + names + " share VRID " + first.virtualRouterId() + " with " + addresses.size()
            + " addresses; one advertisement carries at most 255";
      }
      String name = "vrid-" + first.virtualRouterId() + "-" + first.interfaceName();
      groups.put(name, new Group(problem == null ? withNameAndAddresses(first, name, addresses) : null, names, problem));
    }
    return groups;
  }

  private static String key(InstanceSettings s) {
    return s.interfaceName() + "/" + IpFamily.of(s.addresses().get(0).address()) + "/"
        + String.format("%03d", s.virtualRouterId());
  }

  private static boolean sameExceptAddresses(InstanceSettings a, InstanceSettings b) {
    return withNameAndAddresses(a, "", List.of()).equals(withNameAndAddresses(b, "", List.of()));
  }

  private static InstanceSettings withNameAndAddresses(InstanceSettings s, String name, List<VirtualAddress> addresses) {
    return new InstanceSettings(name, s.interfaceName(), s.virtualRouterId(), s.priority(), s.version(),
        s.advertisementInterval(), s.preempt(), s.preemptDelay(), addresses, s.password(), s.unicastPeers(),
        s.sourceAddress(), s.virtualMac(), s.v3Checksum(), s.acceptBothChecksums(), s.announce(), s.track());
  }
}
