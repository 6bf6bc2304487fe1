package dev.vrrp.api.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {
  @ParameterizedTest
  @CsvSource({
    "127.0.0.1:9477, 127.0.0.1, 9477",
    "0.0.0.0:0, 0.0.0.0, 0",
    "web:80, web, 80",
    "'[2001:db8::1]:443', 2001:db8::1, 443",
    "'2001:db8::11:9477', 2001:db8::11, 9477",
    "localhost:65535, localhost, 65535"
  })
  void splitsAtTheLastColon(String text, String host, int port) {
    HostPort parsed = HostPort.parse(text);
    assertThat(parsed.host()).isEqualTo(host);
    assertThat(parsed.port()).isEqualTo(port);
    assertThat(HostPort.parse(parsed.toString())).isEqualTo(parsed);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "127.0.0.1",
        ":80",
        "web:",
        "web:http",
        "web:65536",
        "web:-1",
        "[::1:80",
        "web:123456"
      })
  void refusesWhatIsNotHostAndPort(String text) {
    assertThat(HostPort.tryParse(text)).isEmpty();
  }
}
