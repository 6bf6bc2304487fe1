package dev.vrrp.api.v1alpha1;

import dev.vrrp.api.Problem;
import dev.vrrp.api.Problems;
import dev.vrrp.api.text.AddressRange;
import dev.vrrp.packet.IpFamily;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What makes a VirtualIPPool unusable, in the words admission uses (the CEL rules of {@link
 * VirtualIPPoolSpec}, held to these by a parity test), plus what CEL cannot check: a range that
 * starts after it ends, a CIDR with host bits, blocks that overlap, a block that reaches into
 * loopback, multicast or the broadcast address. The VRRP settings are checked by {@link
 * SpecRules#settings}, the VirtualIP's own rules.
 */
public final class PoolRules {
  /** What a pool never hands out, whatever its blocks say. */
  private static final List<AddressRange> NOT_UNICAST =
      List.of(
          AddressRange.parse("0.0.0.0"),
          AddressRange.parse("127.0.0.0/8"),
          AddressRange.parse("224.0.0.0/4"),
          AddressRange.parse("255.255.255.255"),
          AddressRange.parse("::"),
          AddressRange.parse("::1"),
          AddressRange.parse("ff00::/8"));

  private PoolRules() {}

  /** Every problem of the spec, each naming its field; empty when usable. */
  public static List<Problem> problems(VirtualIPPoolSpec spec) {
    return judge(spec).problems();
  }

  /**
   * A pool's blocks as read, with every problem of its spec: the blocks are usable only when there
   * are no problems.
   */
  public record Judged(List<AddressRange> blocks, List<Problem> problems) {
    public Judged {
      blocks = List.copyOf(blocks);
      problems = List.copyOf(problems);
    }
  }

  /** Reads the spec once: its blocks and its problems. */
  public static Judged judge(VirtualIPPoolSpec spec) {
    Problems found = new Problems();
    if (spec == null) {
      found.add("spec", "is required");
      return new Judged(List.of(), found.list());
    }
    int version = SpecRules.version(found, "spec.version", spec.getVersion());
    List<AddressRange> blocks = blocks(found, "spec.addresses", spec.getAddresses(), version);
    selector(found, "spec.serviceSelector", spec.getServiceSelector());
    selector(found, "spec.namespaceSelector", spec.getNamespaceSelector());
    SpecRules.settings(found, "spec", spec, version);
    return new Judged(blocks, found.list());
  }

  /** A label selector's requirements, as Kubernetes checks those of its own types. */
  static void selector(Problems found, String field, LabelSelector selector) {
    if (selector == null || selector.getMatchExpressions() == null) {
      return;
    }
    for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
      boolean hasValues = r.getValues() != null && !r.getValues().isEmpty();
      boolean ok =
          switch (r.getOperator() == null ? "" : r.getOperator()) {
            case "In", "NotIn" -> hasValues;
            case "Exists", "DoesNotExist" -> !hasValues;
            default -> false;
          };
      if (!ok) {
        found.add(field, VirtualIPPoolSpec.OPERATOR_MESSAGE);
        return;
      }
    }
  }

  /**
   * The pool's blocks: 1-64 CIDRs, ranges or addresses, unicast, each once and overlapping none of
   * the others, IPv4 only for VRRPv2. Problems with an item's text name {@code field} (as admission
   * does); a repeat or an overlap names the item's index.
   */
  public static List<AddressRange> blocks(
      Problems found, String field, List<String> texts, int version) {
    List<AddressRange> out = new ArrayList<>();
    if (texts == null || texts.isEmpty()) {
      found.add(field, "at least one CIDR, range or address is required");
      return out;
    }
    if (texts.size() > VirtualIPPoolSpec.MAX_BLOCKS) {
      found.add(
          field,
          "must have at most " + VirtualIPPoolSpec.MAX_BLOCKS + " items, got " + texts.size());
    }
    Map<String, Integer> written = new HashMap<>();
    List<Integer> indexes = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      String item = field + "[" + i + "]";
      if (text == null) {
        found.add(item, "must be a CIDR, a range or an address, got null");
        continue;
      }
      if (text.length() > VirtualIPPoolSpec.MAX_BLOCK_LENGTH) {
        found.add(
            item, "may not be more than " + VirtualIPPoolSpec.MAX_BLOCK_LENGTH + " characters");
        continue;
      }
      Integer again = written.putIfAbsent(text, i);
      if (again != null) {
        found.add(item, "Duplicate value: \"" + text + "\" (also " + field + "[" + again + "])");
        continue;
      }
      var problem = AddressRange.problem(text);
      if (problem.isPresent()) {
        found.add(field, problem.get());
        continue;
      }
      AddressRange block = AddressRange.parse(text);
      if (NOT_UNICAST.stream().anyMatch(block::overlaps)) {
        found.add(
            field,
            "not unicast addresses (unspecified, loopback, multicast or broadcast): " + text);
        continue;
      }
      boolean overlapping = false;
      for (int j = 0; j < out.size(); j++) {
        if (out.get(j).overlaps(block)) {
          int other = indexes.get(j);
          found.add(
              item, text + " overlaps " + field + "[" + other + "] (" + texts.get(other) + ")");
          overlapping = true;
          break;
        }
      }
      if (overlapping) {
        continue;
      }
      out.add(block);
      indexes.add(i);
    }
    if (version == 2 && out.stream().anyMatch(b -> b.family() == IpFamily.IPV6)) {
      found.add(field, VrrpSettings.V2_IPV4_ONLY_MESSAGE);
    }
    return out;
  }
}
