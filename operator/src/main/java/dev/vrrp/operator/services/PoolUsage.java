package dev.vrrp.operator.services;

import dev.vrrp.api.text.AddressRange;
import dev.vrrp.operator.services.AddressAllocator.Holding;
import dev.vrrp.operator.services.AddressAllocator.Pool;
import dev.vrrp.packet.IpFamily;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * How much of a pool is used: the addresses it may hand out (without .0 and .255 when it avoids
 * them), those Services hold, and those left. An address in the pool that something else holds (a
 * node's own, a VirtualIP of its own) is neither assigned nor available. Exact for any pool size.
 */
public record PoolUsage(BigInteger total, BigInteger assigned, BigInteger available) {
  private static final BigInteger OCTET = BigInteger.valueOf(256);

  public static PoolUsage of(Pool pool, Collection<Holding> held) {
    BigInteger total = BigInteger.ZERO;
    for (AddressRange range : pool.ranges()) {
      total = total.add(range.size());
      if (pool.avoidBuggyIPs() && range.family() == IpFamily.IPV4) {
        total = total.subtract(buggyIn(range));
      }
    }
    Set<InetAddress> byServices = new HashSet<>();
    Set<InetAddress> byOthers = new HashSet<>();
    for (Holding h : held) {
      InetAddress a = h.address();
      if (!pool.contains(a) || (pool.avoidBuggyIPs() && AddressRange.buggy(a))) {
        continue;
      }
      (h.byService() ? byServices : byOthers).add(a);
    }
    byOthers.removeAll(byServices);
    BigInteger assigned = BigInteger.valueOf(byServices.size());
    BigInteger available =
        total.subtract(assigned).subtract(BigInteger.valueOf(byOthers.size())).max(BigInteger.ZERO);
    return new PoolUsage(total, assigned, available);
  }

  /** How many addresses of the IPv4 range end in .0 or .255. */
  static BigInteger buggyIn(AddressRange range) {
    return endingIn(range, BigInteger.ZERO).add(endingIn(range, BigInteger.valueOf(255)));
  }

  /** How many n in [first, last] have n mod 256 == last octet. */
  private static BigInteger endingIn(AddressRange range, BigInteger octet) {
    return upTo(range.last(), octet).subtract(upTo(range.first().subtract(BigInteger.ONE), octet));
  }

  /** How many n in [0, x] have n mod 256 == octet. */
  private static BigInteger upTo(BigInteger x, BigInteger octet) {
    if (x.signum() < 0 || x.compareTo(octet) < 0) {
      return BigInteger.ZERO;
    }
    return x.subtract(octet).divide(OCTET).add(BigInteger.ONE);
  }
}
