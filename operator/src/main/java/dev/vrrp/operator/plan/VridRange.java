package dev.vrrp.operator.plan;

import dev.vrrp.packet.ProtocolLimits;

/**
 * The VRIDs the operator allocates from, for example {@code 50-255} on a segment whose routers
 * already run VRRP with VRIDs below 50. Explicit {@code spec.virtualRouterId}s may lie outside it.
 */
public record VridRange(int first, int last) {
  public static final VridRange ALL =
      new VridRange(ProtocolLimits.MIN_VRID, ProtocolLimits.MAX_VRID);

  /** {@link #ALL} as {@link #parse} reads it and {@link #toString} writes it: {@code 1-255}. */
  public static final String ALL_TEXT = ProtocolLimits.VRID_RANGE;

  public VridRange {
    if (!ProtocolLimits.allowsVrid(first) || !ProtocolLimits.allowsVrid(last) || first > last) {
      throw unusable(first + "-" + last);
    }
  }

  /** {@code "50-255"}, or one VRID {@code "7"}. */
  public static VridRange parse(String text) {
    String trimmed = text == null ? "" : text.trim();
    try {
      int dash = trimmed.indexOf('-');
      if (dash < 0) {
        int only = Integer.parseInt(trimmed);
        return new VridRange(only, only);
      }
      return new VridRange(
          Integer.parseInt(trimmed.substring(0, dash).trim()),
          Integer.parseInt(trimmed.substring(dash + 1).trim()));
    } catch (NumberFormatException e) {
      throw unusable("'" + text + "'");
    }
  }

  private static IllegalArgumentException unusable(String got) {
    return new IllegalArgumentException(
        "virtual router ids: expected a range within " + ALL_TEXT + " like 50-255, got " + got);
  }

  boolean contains(int vrid) {
    return vrid >= first && vrid <= last;
  }

  @Override
  public String toString() {
    return first + "-" + last;
  }
}
