package dev.vrrp.agent.kubernetes;

import dev.vrrp.agent.config.InstanceSettings;
import dev.vrrp.api.text.VirtualAddress;
import dev.vrrp.packet.IpFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * VirtualIPs that the operator gave the same VRID on the same interface and family share one VRRP
 * instance (how 1000 VirtualIPs fit in 255 VRIDs per segment): one advertisement lists all their
 * addresses. They must agree on everything else; if they do not, none of them runs.
 */
final class SharedInstances {

  /** One VRRP instance and the VirtualIPs it serves; settings null when they cannot share. */
  record Group(InstanceSettings settings, List<String> virtualIps, String problem) {}

  private SharedInstances() {}

  /** Which instance a VirtualIP's settings belong to: one per interface, family and VRID. */
  static String key(InstanceSettings s) {
    return s.interfaceName()
        + "/"
        + IpFamily.of(s.addresses().get(0).address())
        + "/"
        + s.virtualRouterId();
  }

  /**
   * The instance for the VirtualIPs of one key (sorted by name), called {@code name}: their common
   * settings with all their addresses, or the reason they cannot share.
   */
  static Group of(SortedMap<String, InstanceSettings> members, String name) {
    List<String> names = List.copyOf(members.keySet());
    InstanceSettings first = members.get(members.firstKey());
    if (members.size() == 1) {
      return new Group(first.withNameAndAddresses(name, first.addresses()), names, null);
    }
    List<VirtualAddress> addresses = new ArrayList<>();
    String problem = null;
    for (Map.Entry<String, InstanceSettings> member : members.entrySet()) {
      if (!sameExceptAddresses(first, member.getValue())) {
        problem =
            "VirtualIPs "
                + names
                + " share VRID "
                + first.virtualRouterId()
                + " on "
                + first.interfaceName()
                + " but differ in settings other than addresses";
      }
      addresses.addAll(member.getValue().addresses());
    }
    if (addresses.size() > 255) {
      problem =
          "VirtualIPs "
              + names
              + " share VRID "
              + first.virtualRouterId()
              + " with "
              + addresses.size()
              + " addresses; one advertisement carries at most 255";
    }
    return new Group(
        problem == null ? first.withNameAndAddresses(name, addresses) : null, names, problem);
  }

  /** The name a new instance gets: its VirtualIP's, or the VRID's when it starts out shared. */
  static String nameFor(SortedMap<String, InstanceSettings> members) {
    InstanceSettings first = members.get(members.firstKey());
    return members.size() == 1
        ? members.firstKey()
        : "vrid-" + first.virtualRouterId() + "-" + first.interfaceName();
  }

  static boolean sameExceptAddresses(InstanceSettings a, InstanceSettings b) {
    return a.withNameAndAddresses("", List.of()).equals(b.withNameAndAddresses("", List.of()));
  }
}
