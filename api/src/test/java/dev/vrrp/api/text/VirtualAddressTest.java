package dev.vrrp.api.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VirtualAddressTest {
  @Test
  void anAddressWithAndWithoutItsPrefix() {
    assertThat(VirtualAddress.parse("192.0.2.10/24").prefixLength()).isEqualTo(24);
    assertThat(VirtualAddress.parse("192.0.2.10").prefixLength()).isNull();
    assertThat(VirtualAddress.parse("2001:DB8::10/64")).hasToString("2001:db8::10/64");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "192.0.2.10/33",
        "192.0.2.10/",
        "192.0.2.10/024",
        "2001:db8::1/129",
        "192.0.2.10/x"
      })
  void aPrefixOutsideTheFamilysRangeIsRefused(String text) {
    assertThat(VirtualAddress.problem(text))
        .hasValue("prefix length must be 0-32 for IPv4 and 0-128 for IPv6: " + text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"224.0.0.18", "0.0.0.0", "127.0.0.1", "255.255.255.255", "::1", "::", "ff02::12"})
  void onlyUnicastAddressesFloat(String text) {
    assertThat(VirtualAddress.parse(text).unicast()).isFalse();
  }
}
