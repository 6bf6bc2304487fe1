package dev.vrrp.agent.keepalived;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One line of {@code virtual_ipaddress} or {@code virtual_ipaddress_excluded}: {@code
 * <IPADDR>[/<MASK>] [brd IP] [dev IF] [scope S] [label L] ...}, the options of {@code ip address
 * add}.
 */
record AddressLine(Word address, Word dev, Word label, String labelValue, List<Word> ignored) {
  private static final Set<String> WITH_VALUE =
      Set.of("brd", "broadcast", "dev", "scope", "label", "peer", "preferred_lft", "track_group");

  static AddressLine read(Statement line) {
    Word dev = null;
    Word label = null;
    String labelValue = null;
    List<Word> ignored = new ArrayList<>();
    List<Word> args = line.args();
    for (int i = 0; i < args.size(); i++) {
      Word option = args.get(i);
      boolean hasValue = WITH_VALUE.contains(option.text()) && i + 1 < args.size();
      Word value = hasValue ? args.get(++i) : null;
      switch (option.text()) {
        case "dev" -> dev = value;
        case "label" -> {
          label = option;
          labelValue = value == null ? null : value.text();
        }
        default -> ignored.add(option);
      }
    }
    return new AddressLine(line.words().get(0), dev, label, labelValue, ignored);
  }

  String text() {
    return address.text();
  }

  boolean hasPrefix() {
    return address.text().contains("/");
  }
}
