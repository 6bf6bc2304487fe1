package dev.vrrp.api.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vrrp.packet.IpFamily;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressRangeTest {
  @ParameterizedTest
  @CsvSource({
    "192.0.2.0/28, 192.0.2.0-192.0.2.15, 16",
    "192.0.2.200-192.0.2.210, 192.0.2.200-192.0.2.210, 11",
    "192.0.2.7, 192.0.2.7-192.0.2.7, 1",
    "192.0.2.7/32, 192.0.2.7-192.0.2.7, 1",
    "2001:db8::/126, 2001:db8::-2001:db8::3, 4",
    "2001:db8::10-2001:db8::1f, 2001:db8::10-2001:db8::1f, 16",
  })
  void readsCidrsRangesAndSingleAddresses(String text, String range, long size) {
    AddressRange r = AddressRange.parse(text);
    assertThat(r).hasToString(range);
    assertThat(r.size()).isEqualTo(BigInteger.valueOf(size));
  }

  @Test
  void anIpv6Slash64IsANumberNotAList() {
    AddressRange r = AddressRange.parse("2001:db8:0:1::/64");
    assertThat(r.family()).isEqualTo(IpFamily.IPV6);
    assertThat(r.size()).isEqualTo(BigInteger.ONE.shiftLeft(64));
    assertThat(IpLiteral.format(r.at(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE))))
        .isEqualTo("2001:db8:0:1:ffff:ffff:ffff:ffff");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''| must not be empty",
        "192.0.2.300| not an IP address",
        "192.0.2.1/33| prefix length must be 0-32",
        "192.0.2.1/24| has host bits set: '192.0.2.1/24' (the network is 192.0.2.0/24)",
        "192.0.2.10-192.0.2.1| starts after it ends",
        "192.0.2.1-2001:db8::1| mixes IPv4 and IPv6",
        "192.0.2.1-| not a range of two IP addresses",
        "example.com| not an IP address",
      })
  void saysWhatIsWrong(String text, String problem) {
    assertThat(AddressRange.problem(text)).get().asString().contains(problem);
    assertThat(AddressRange.tryParse(text)).isEmpty();
    assertThatThrownBy(() -> AddressRange.parse(text)).hasMessageContaining(problem);
  }

  @Test
  void containsAndOverlapsStayWithinAFamily() {
    AddressRange a = AddressRange.parse("192.0.2.0/28");
    assertThat(a.contains(IpLiteral.parse("192.0.2.15"))).isTrue();
    assertThat(a.contains(IpLiteral.parse("192.0.2.16"))).isFalse();
    assertThat(a.contains(IpLiteral.parse("2001:db8::1"))).isFalse();
    assertThat(a.overlaps(AddressRange.parse("192.0.2.15-192.0.2.20"))).isTrue();
    assertThat(a.overlaps(AddressRange.parse("192.0.2.16-192.0.2.20"))).isFalse();
    assertThat(a.overlaps(AddressRange.parse("::/0"))).isFalse();
  }

  @Test
  void buggyAddressesAreTheIpv4OnesEndingInZeroOr255() {
    assertThat(AddressRange.buggy(IpLiteral.parse("192.0.2.0"))).isTrue();
    assertThat(AddressRange.buggy(IpLiteral.parse("192.0.2.255"))).isTrue();
    assertThat(AddressRange.buggy(IpLiteral.parse("192.0.2.1"))).isFalse();
    assertThat(AddressRange.buggy(IpLiteral.parse("2001:db8::ff"))).isFalse();
  }
}
