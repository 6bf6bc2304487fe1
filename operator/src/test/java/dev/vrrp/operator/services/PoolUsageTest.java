package dev.vrrp.operator.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.text.AddressRange;
import dev.vrrp.api.text.IpLiteral;
import dev.vrrp.operator.services.AddressAllocator.Holding;
import dev.vrrp.operator.services.AddressAllocator.Pool;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PoolUsageTest {
  private static Pool pool(boolean avoidBuggy, String... blocks) {
    return new Pool(
        "p", List.of(blocks).stream().map(AddressRange::parse).toList(), true, avoidBuggy);
  }

  private static Holding service(String address, String service) {
    return Holding.ofService(IpLiteral.parse(address), service, null, Set.of());
  }

  @Test
  void servicesAssignOthersMerelyTakeAndSharedAddressesCountOnce() {
    Pool pool = pool(false, "192.0.2.0/29");
    PoolUsage usage =
        PoolUsage.of(
            pool,
            List.of(
                service("192.0.2.1", "ns/a"),
                service("192.0.2.1", "ns/b"),
                service("192.0.2.2", "ns/c"),
                Holding.other(IpLiteral.parse("192.0.2.3"), Holding.Kind.NODE, "node-a"),
                service("198.51.100.1", "ns/elsewhere")));
    assertThat(usage)
        .isEqualTo(new PoolUsage(BigInteger.valueOf(8), BigInteger.TWO, BigInteger.valueOf(5)));
  }

  @Test
  void avoidingBuggyAddressesCountsThemOutExactly() {
    assertThat(PoolUsage.of(pool(true, "192.0.2.0/24"), List.of()).total())
        .isEqualTo(BigInteger.valueOf(254));
    assertThat(PoolUsage.of(pool(true, "10.0.0.0/16"), List.of()).total())
        .isEqualTo(BigInteger.valueOf(65536 - 2 * 256));
    assertThat(PoolUsage.of(pool(true, "192.0.2.250-192.0.3.5"), List.of()).total())
        .as("192.0.2.255 and 192.0.3.0 out of 12")
        .isEqualTo(BigInteger.TEN);
    assertThat(PoolUsage.of(pool(true, "2001:db8::/120"), List.of()).total())
        .as("IPv6 has no such addresses")
        .isEqualTo(BigInteger.valueOf(256));
  }

  @Test
  void anIpv6PoolIsCountedExactly() {
    assertThat(PoolUsage.of(pool(false, "2001:db8::/64"), List.of()).available())
        .isEqualTo(BigInteger.TWO.pow(64));
  }
}
