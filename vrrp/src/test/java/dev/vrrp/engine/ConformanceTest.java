package dev.vrrp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.packet.Advertisement;
import dev.vrrp.packet.AuthType;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Runs the conformance cases in {@code conformance/rfc5798.cases}: events in, actions out. */
class ConformanceTest {
  private static final String CASES = "/conformance/rfc5798.cases";

  @TestFactory
  Stream<DynamicTest> conformanceCases() throws IOException {
    return load().stream()
        .map(c -> DynamicTest.dynamicTest(c.name() + " [RFC " + c.rfc() + "]", () -> run(c)));
  }

  @Test
  void theDataCoversEnoughCases() throws IOException {
    List<ConformanceCase> cases = load();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(30);
    assertThat(cases).extracting(ConformanceCase::name).doesNotHaveDuplicates();
  }

  private static List<ConformanceCase> load() throws IOException {
    try (InputStream in = ConformanceTest.class.getResourceAsStream(CASES)) {
      return ConformanceCase.parse(
          new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
    }
  }

  private static void run(ConformanceCase c) throws Exception {
    InstanceConfig config = config(c.config());
    VrrpInstance instance = new VrrpInstance(config);
    for (ConformanceCase.Step step : c.steps()) {
      String where = "line " + step.line() + " of " + CASES;
      if (step.check() != null) {
        check(instance, step.check(), where);
        continue;
      }
      List<String> actual =
          instance.handle(event(step.event(), config)).stream()
              .map(Action::describe)
              .collect(Collectors.toList());
      assertThat(actual)
          .as("actions for '%s' at %s", step.event(), where)
          .containsExactlyElementsOf(step.expectedActions());
    }
  }

  private static void check(VrrpInstance instance, String check, String where) {
    String[] parts = check.split("\\s+", 2);
    switch (parts[0]) {
      case "state" -> assertThat(instance.state()).as(where).hasToString(parts[1]);
      case "master" -> assertThat(instance.masterAddress()).as(where).isEqualTo(address(parts[1]));
      default -> throw new IllegalArgumentException(where + ": unknown check " + check);
    }
  }

  static InstanceConfig config(Map<String, String> overrides) {
    Map<String, String> v =
        new HashMap<>(
            Map.of(
                "version",
                "3",
                "vrid",
                "51",
                "priority",
                "100",
                "interval",
                "1000ms",
                "preempt",
                "true",
                "preemptDelay",
                "0ms",
                "addresses",
                "192.0.2.100",
                "primary",
                "192.0.2.2"));
    v.putAll(overrides);
    return new InstanceConfig(
        Integer.parseInt(v.get("version")),
        Integer.parseInt(v.get("vrid")),
        Integer.parseInt(v.get("priority")),
        duration(v.get("interval")),
        Boolean.parseBoolean(v.get("preempt")),
        duration(v.get("preemptDelay")),
        addresses(v.get("addresses")),
        address(v.get("primary")),
        v.get("password"));
  }

  private static Event event(String text, InstanceConfig config) {
    String[] words = text.split("\\s+");
    return switch (words[0]) {
      case "startup" -> new Event.Startup();
      case "shutdown" -> new Event.Shutdown();
      case "timer" -> new Event.TimerExpired(TimerKind.valueOf(words[1]));
      case "priority" -> new Event.PriorityChanged(Integer.parseInt(words[1]));
      case "fault" -> new Event.FaultRaised(words[1]);
      case "fault-cleared" -> new Event.FaultCleared(words[1]);
      case "interval" -> new Event.AdvertisementIntervalChanged(duration(words[1]));
      case "advert" -> advert(words, config);
      default -> throw new IllegalArgumentException("unknown event " + text);
    };
  }

  private static Event advert(String[] words, InstanceConfig config) {
    Map<String, String> f = new HashMap<>();
    for (String word : Arrays.copyOfRange(words, 1, words.length)) {
      String[] kv = word.split("=", 2);
      f.put(kv[0], kv[1]);
    }
    int version = Integer.parseInt(f.getOrDefault("version", String.valueOf(config.version())));
    int vrid = Integer.parseInt(f.getOrDefault("vrid", String.valueOf(config.virtualRouterId())));
    int centis =
        f.containsKey("interval")
            ? Integer.parseInt(f.get("interval").replace("cs", ""))
            : Timers.toCentis(config.advertisementInterval());
    List<InetAddress> addresses =
        f.containsKey("addresses") ? addresses(f.get("addresses")) : config.addresses();
    String password = f.getOrDefault("password", config.password());
    if ("none".equals(password)) {
      password = null;
    }
    int priority = Integer.parseInt(f.get("priority"));
    Advertisement adv =
        version == 2
            ? new Advertisement(
                2,
                vrid,
                priority,
                centis,
                addresses,
                password == null ? AuthType.NONE : AuthType.SIMPLE_TEXT,
                password == null ? new byte[0] : Advertisement.passwordBytes(password))
            : Advertisement.v3(vrid, priority, centis, addresses);
    return new Event.AdvertisementReceived(adv, address(f.get("from")));
  }

  static Duration duration(String text) {
    if (text.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
    }
    throw new IllegalArgumentException("durations are written in ms: " + text);
  }

  static List<InetAddress> addresses(String text) {
    return Arrays.stream(text.split(",")).map(ConformanceTest::address).toList();
  }

  static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
