package dev.vrrp.api.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralTest {
  @ParameterizedTest
  @CsvSource({
    "192.0.2.10, 192.0.2.10",
    "0.0.0.0, 0.0.0.0",
    "2001:DB8::1, 2001:db8::1",
    "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
    "fe80::1, fe80::1",
    "::, ::",
    "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1",
    "2001:db8::1.2.3.4, 2001:db8::102:304"
  })
  void readsLiteralsAndWritesThemCanonically(String text, String canonical) {
    assertThat(IpLiteral.format(IpLiteral.parse(text))).isEqualTo(canonical);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "192.0.2.010",
        "192.0.2",
        "192.0.2.256",
        "1.2.3.4.5",
        "localhost",
        "web.example",
        "fe80::1%eth0",
        "[::1]",
        "::ffff:192.0.2.1",
        "2001:db8::g",
        "",
        " 192.0.2.1"
      })
  void refusesNamesZonesMappedAddressesAndLeadingZeros(String text) {
    assertThat(IpLiteral.tryParse(text)).isEmpty();
  }

  @Test
  void neverLooksANameUp() {
    long started = System.nanoTime();
    assertThat(IpLiteral.tryParse("a-name-that-would-time-out.invalid")).isEmpty();
    assertThat(IpLiteral.parse("2001:db8::1")).isInstanceOf(Inet6Address.class);
    assertThat(System.nanoTime() - started).as("no DNS").isLessThan(1_000_000_000L);
  }
}
