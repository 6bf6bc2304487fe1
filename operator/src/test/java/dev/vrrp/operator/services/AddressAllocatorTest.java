package dev.vrrp.operator.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.text.AddressRange;
import dev.vrrp.api.text.IpLiteral;
import dev.vrrp.operator.services.AddressAllocator.Holding;
import dev.vrrp.operator.services.AddressAllocator.Pool;
import dev.vrrp.operator.services.AddressAllocator.Request;
import dev.vrrp.operator.services.AddressAllocator.Result;
import dev.vrrp.packet.IpFamily;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AddressAllocatorTest {
  private static final List<IpFamily> V4 = List.of(IpFamily.IPV4);
  private static final Pool WEB = pool("web", true, false, "192.0.2.200-192.0.2.202");
  private static final Pool DUAL = pool("dual", true, false, "192.0.2.0/30", "2001:db8::/126");

  private static Pool pool(String name, boolean auto, boolean avoidBuggy, String... ranges) {
    return new Pool(
        name, Arrays.stream(ranges).map(AddressRange::parse).toList(), auto, avoidBuggy);
  }

  private static Request ask(String service, List<IpFamily> families) {
    return new Request(service, families, List.of(), null, null, Set.of("TCP/80"));
  }

  private static Holding holding(String address, String service) {
    return Holding.ofService(IpLiteral.parse(address), service, null, Set.of("TCP/80"));
  }

  private static List<String> assigned(Result result) {
    assertThat(result).isInstanceOf(Result.Assigned.class);
    return ((Result.Assigned) result).addresses().stream().map(IpLiteral::format).toList();
  }

  private static String refused(Result result) {
    assertThat(result).isInstanceOf(Result.Refused.class);
    return ((Result.Refused) result).reason();
  }

  @Test
  void theLowestFreeAddressOfTheFirstAutoAssignPool() {
    assertThat(assigned(AddressAllocator.allocate(ask("ns/a", V4), List.of(WEB), List.of())))
        .containsExactly("192.0.2.200");
    assertThat(
            assigned(
                AddressAllocator.allocate(
                    ask("ns/b", V4), List.of(WEB), List.of(holding("192.0.2.200", "ns/a")))))
        .containsExactly("192.0.2.201");
  }

  @Test
  void theSameInputsGiveTheSameAnswerAndAServiceKeepsWhatItHolds() {
    List<Holding> held =
        List.of(holding("192.0.2.201", "ns/a"), holding("192.0.2.200", "ns/other"));
    Result first = AddressAllocator.allocate(ask("ns/a", V4), List.of(WEB), held);
    assertThat(assigned(first)).containsExactly("192.0.2.201");
    assertThat(AddressAllocator.allocate(ask("ns/a", V4), List.of(WEB), held)).isEqualTo(first);
  }

  @Test
  void anExhaustedPoolSaysSo() {
    List<Holding> held = new ArrayList<>();
    for (int i = 200; i <= 202; i++) {
      held.add(holding("192.0.2." + i, "ns/s" + i));
    }
    assertThat(refused(AddressAllocator.allocate(ask("ns/new", V4), List.of(WEB), held)))
        .isEqualTo("no IPv4 address left in pool web");
  }

  @Test
  void dualStackGetsOneAddressPerFamily() {
    assertThat(
            assigned(
                AddressAllocator.allocate(
                    ask("ns/a", List.of(IpFamily.IPV6, IpFamily.IPV4)), List.of(DUAL), List.of())))
        .containsExactly("2001:db8::", "192.0.2.0");
    assertThat(
            refused(
                AddressAllocator.allocate(
                    ask("ns/a", List.of(IpFamily.IPV6)), List.of(WEB), List.of())))
        .isEqualTo("pool web has no IPv6 addresses");
  }

  @Test
  void avoidBuggyIpsSkipsDotZeroAndDot255() {
    Pool pool = pool("edge", true, true, "192.0.2.255-192.0.3.1");
    assertThat(assigned(AddressAllocator.allocate(ask("ns/a", V4), List.of(pool), List.of())))
        .containsExactly("192.0.3.1");
  }

  @Test
  void aNamedPoolIsUsedEvenWithoutAutoAssignAndAPoolNotAdmittedIsRefused() {
    Pool manual = pool("manual", false, false, "198.51.100.10-198.51.100.11");
    Request named = new Request("ns/a", V4, List.of(), "manual", null, Set.of());
    assertThat(assigned(AddressAllocator.allocate(named, List.of(WEB, manual), List.of())))
        .containsExactly("198.51.100.10");
    assertThat(refused(AddressAllocator.allocate(named, List.of(WEB), List.of())))
        .isEqualTo("pool manual does not exist or does not admit this Service");
    assertThat(refused(AddressAllocator.allocate(ask("ns/a", V4), List.of(manual), List.of())))
        .isEqualTo("no pool with autoAssign admits this Service");
  }

  @Test
  void explicitAddressesMustBeInAnAdmittingPoolFreeAndOfTheFamiliesAskedFor() {
    InetAddress inPool = IpLiteral.parse("192.0.2.202");
    Request explicit = new Request("ns/a", V4, List.of(inPool), null, null, Set.of());
    assertThat(assigned(AddressAllocator.allocate(explicit, List.of(WEB), List.of())))
        .containsExactly("192.0.2.202");
    assertThat(
            refused(
                AddressAllocator.allocate(
                    explicit, List.of(WEB), List.of(holding("192.0.2.202", "ns/b")))))
        .isEqualTo("192.0.2.202 is held by Service ns/b (no common sharing key)");
    Request outside =
        new Request("ns/a", V4, List.of(IpLiteral.parse("203.0.113.1")), null, null, Set.of());
    assertThat(refused(AddressAllocator.allocate(outside, List.of(WEB), List.of())))
        .isEqualTo("203.0.113.1 is in no pool that admits this Service");
    Request wrongFamily =
        new Request("ns/a", V4, List.of(IpLiteral.parse("2001:db8::1")), null, null, Set.of());
    assertThat(refused(AddressAllocator.allocate(wrongFamily, List.of(DUAL), List.of())))
        .isEqualTo("2001:db8::1 is IPv6 and the Service asks for IPv4");
  }

  @Test
  void anAddressOfANodeOrOfAVirtualIpOfItsOwnIsNeverHandedOut() {
    List<Holding> others =
        List.of(
            Holding.other(IpLiteral.parse("192.0.2.200"), Holding.Kind.NODE, "node-a"),
            Holding.other(IpLiteral.parse("192.0.2.201"), Holding.Kind.VIRTUAL_IP, "db"));
    Request shared = new Request("ns/a", V4, List.of(), null, "k", Set.of("TCP/80"));
    assertThat(assigned(AddressAllocator.allocate(shared, List.of(WEB), others)))
        .containsExactly("192.0.2.202");
    Request explicit =
        new Request("ns/a", V4, List.of(IpLiteral.parse("192.0.2.200")), null, null, Set.of());
    assertThat(refused(AddressAllocator.allocate(explicit, List.of(WEB), others)))
        .isEqualTo("192.0.2.200 is held by Node node-a");
  }

  @Test
  void servicesWithOneSharingKeyAndDisjointPortsShareAnAddress() {
    Holding first =
        Holding.ofService(IpLiteral.parse("192.0.2.200"), "ns/http", "k", Set.of("TCP/80"));
    Request dns = new Request("ns/dns", V4, List.of(), null, "k", Set.of("UDP/53"));
    assertThat(assigned(AddressAllocator.allocate(dns, List.of(WEB), List.of(first))))
        .containsExactly("192.0.2.200");

    Request clash = new Request("ns/https", V4, List.of(), null, "k", Set.of("TCP/80"));
    assertThat(assigned(AddressAllocator.allocate(clash, List.of(WEB), List.of(first))))
        .as("the same port: an address of its own")
        .containsExactly("192.0.2.201");

    Request explicitClash =
        new Request(
            "ns/https", V4, List.of(IpLiteral.parse("192.0.2.200")), null, "k", Set.of("TCP/80"));
    assertThat(refused(AddressAllocator.allocate(explicitClash, List.of(WEB), List.of(first))))
        .isEqualTo("192.0.2.200 is shared with Service ns/http, which uses port [TCP/80] too");
  }
}
