package dev.vrrp.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.vocabulary.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class VridAllocatorTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Set<String> ABC = Set.of("a", "b", "c");
  private final VridAllocator allocator = new VridAllocator();

  private static VridAllocator.Request v4(
      String name,
      int created,
      Set<String> nodes,
      String address,
      Integer requested,
      Integer previous) {
    return new VridAllocator.Request(
        name,
        T0.plusSeconds(created),
        AddressFamily.IPV4,
        nodes,
        List.of(address),
        requested,
        previous);
  }

  private static VridAllocator.Request v6(
      String name, int created, Set<String> nodes, String address) {
    return new VridAllocator.Request(
        name, T0.plusSeconds(created), AddressFamily.IPV6, nodes, List.of(address), null, null);
  }

  @Test
  void allocatesTheLowestFreeVridInCreationOrder() {
    var result =
        allocator.allocate(
            List.of(
                v4("late", 3, ABC, "192.0.2.3", null, null),
                v4("first", 1, ABC, "192.0.2.1", null, null),
                v4("second", 2, ABC, "192.0.2.2", null, null)));
    assertThat(result.get("first").virtualRouterId()).isEqualTo(1);
    assertThat(result.get("second").virtualRouterId()).isEqualTo(2);
    assertThat(result.get("late").virtualRouterId()).isEqualTo(3);
    assertThat(result.values()).noneMatch(VridAllocator.Allocation::refused);
  }

  @Test
  void sameCreationTimeIsOrderedByName() {
    var result =
        allocator.allocate(
            List.of(
                v4("b", 0, ABC, "192.0.2.2", null, null),
                v4("a", 0, ABC, "192.0.2.1", null, null)));
    assertThat(result.get("a").virtualRouterId()).isEqualTo(1);
    assertThat(result.get("b").virtualRouterId()).isEqualTo(2);
  }

  @Test
  void disjointNodeGroupsReuseVrids() {
    var result =
        allocator.allocate(
            List.of(
                v4("a1", 1, Set.of("a1", "a2"), "192.0.2.1", null, null),
                v4("b1", 2, Set.of("b1", "b2"), "192.0.2.2", null, null)));
    assertThat(result.get("a1").virtualRouterId()).isEqualTo(1);
    assertThat(result.get("b1").virtualRouterId()).isEqualTo(1);
  }

  @Test
  void ipv4AndIpv6HaveSeparateVridSpaces() {
    var result =
        allocator.allocate(
            List.of(v4("four", 1, ABC, "192.0.2.1", null, null), v6("six", 2, ABC, "2001:db8::1")));
    assertThat(result.get("four").virtualRouterId()).isEqualTo(1);
    assertThat(result.get("six").virtualRouterId()).isEqualTo(1);
  }

  @Test
  void overlapIsNotTransitive() {
    // A and C share no node: they may use the same VRID; B shares a node with each
    var result =
        allocator.allocate(
            List.of(
                v4("A", 1, Set.of("n1", "n2"), "192.0.2.1", null, null),
                v4("B", 2, Set.of("n2", "n3"), "192.0.2.2", null, null),
                v4("C", 3, Set.of("n3", "n4"), "192.0.2.3", null, null)));
    assertThat(result.get("A").virtualRouterId()).isEqualTo(1);
    assertThat(result.get("B").virtualRouterId()).isEqualTo(2);
    assertThat(result.get("C").virtualRouterId()).isEqualTo(1);
  }

  @Test
  void explicitVridIsHonouredAndAllocationAvoidsIt() {
    var result =
        allocator.allocate(
            List.of(
                v4("older-auto", 1, ABC, "192.0.2.1", null, null),
                v4("newer-explicit", 2, ABC, "192.0.2.2", 1, null)));
    assertThat(result.get("newer-explicit").virtualRouterId()).isEqualTo(1);
    assertThat(result.get("older-auto").virtualRouterId()).isEqualTo(2);
  }

  @Test
  void explicitClashRefusesTheLaterCreatedOne() {
    var result =
        allocator.allocate(
            List.of(
                v4("later", 2, Set.of("b", "c"), "192.0.2.2", 7, null),
                v4("earlier", 1, Set.of("a", "b"), "192.0.2.1", 7, null)));
    assertThat(result.get("earlier").virtualRouterId()).isEqualTo(7);
    VridAllocator.Allocation later = result.get("later");
    assertThat(later.virtualRouterId()).isNull();
    assertThat(later.conflict().reason()).isEqualTo(Reason.VRID_CONFLICT);
    assertThat(later.conflict().message())
        .contains("virtualRouterId 7", "VirtualIP earlier", "node b", "IPv4");
  }

  @Test
  void explicitVridOnDisjointNodesIsNoClash() {
    var result =
        allocator.allocate(
            List.of(
                v4("x", 1, Set.of("a"), "192.0.2.1", 7, null),
                v4("y", 2, Set.of("b"), "192.0.2.2", 7, null)));
    assertThat(result.get("x").virtualRouterId()).isEqualTo(7);
    assertThat(result.get("y").virtualRouterId()).isEqualTo(7);
  }

  @Test
  void aRunningAllocationBeatsANewerExplicitClaim() {
    var result =
        allocator.allocate(
            List.of(
                v4("running", 1, ABC, "192.0.2.1", null, 5),
                v4("explicit", 2, ABC, "192.0.2.2", 5, null)));
    assertThat(result.get("running").virtualRouterId()).isEqualTo(5);
    assertThat(result.get("explicit").conflict().reason()).isEqualTo(Reason.VRID_CONFLICT);
    assertThat(result.get("explicit").conflict().message()).contains("VirtualIP running");
  }

  @Test
  void allocatedVridsStayWhenOthersComeAndGo() {
    // x had 2 while w (deleted now) had 1: x keeps 2, the newcomer gets the free 1
    var result =
        allocator.allocate(
            List.of(
                v4("x", 2, ABC, "192.0.2.2", null, 2),
                v4("newcomer", 9, ABC, "192.0.2.9", null, null)));
    assertThat(result.get("x").virtualRouterId()).isEqualTo(2);
    assertThat(result.get("newcomer").virtualRouterId()).isEqualTo(1);
  }

  @Test
  void anAllocatedVridThatNowClashesIsReallocatedNotRefused() {
    // both ran with 1 on disjoint nodes; now they share node b: the later one moves
    var result =
        allocator.allocate(
            List.of(
                v4("earlier", 1, Set.of("a", "b"), "192.0.2.1", null, 1),
                v4("later", 2, Set.of("b", "c"), "192.0.2.2", null, 1)));
    assertThat(result.get("earlier").virtualRouterId()).isEqualTo(1);
    assertThat(result.get("later").virtualRouterId()).isEqualTo(2);
    assertThat(result.get("later").refused()).isFalse();
  }

  @Test
  void theSameAddressRefusesTheLaterCreatedOneWhateverThePrefixOrSpelling() {
    var result =
        allocator.allocate(
            List.of(
                new VridAllocator.Request(
                    "first", T0, AddressFamily.IPV6, ABC, List.of("2001:db8::10/64"), null, null),
                new VridAllocator.Request(
                    "second",
                    T0.plusSeconds(1),
                    AddressFamily.IPV6,
                    Set.of("x"),
                    List.of("2001:DB8:0::10"),
                    null,
                    null)));
    assertThat(result.get("first").virtualRouterId()).isEqualTo(1);
    VridAllocator.Allocation second = result.get("second");
    assertThat(second.virtualRouterId()).isNull();
    assertThat(second.conflict().reason()).isEqualTo(Reason.ADDRESS_CONFLICT);
    assertThat(second.conflict().message())
        .contains("address 2001:db8::10 is already claimed", "VirtualIP first");
  }

  @Test
  void aRefusedVirtualIpClaimsNothing() {
    // B loses 192.0.2.1 to A, so its 192.0.2.2 stays free for C; B takes no VRID either
    var result =
        allocator.allocate(
            List.of(
                new VridAllocator.Request(
                    "A", T0, AddressFamily.IPV4, ABC, List.of("192.0.2.1"), null, null),
                new VridAllocator.Request(
                    "B",
                    T0.plusSeconds(1),
                    AddressFamily.IPV4,
                    ABC,
                    List.of("192.0.2.1", "192.0.2.2"),
                    null,
                    null),
                new VridAllocator.Request(
                    "C",
                    T0.plusSeconds(2),
                    AddressFamily.IPV4,
                    ABC,
                    List.of("192.0.2.2"),
                    null,
                    null)));
    assertThat(result.get("B").conflict().reason()).isEqualTo(Reason.ADDRESS_CONFLICT);
    assertThat(result.get("C").refused()).isFalse();
    assertThat(result.get("C").virtualRouterId()).isEqualTo(2);
  }

  @Test
  void noSelectedNodeMeansNoVridYet() {
    var result = allocator.allocate(List.of(v4("lonely", 1, Set.of(), "192.0.2.1", null, null)));
    assertThat(result.get("lonely").virtualRouterId()).isNull();
    assertThat(result.get("lonely").refused()).isFalse();
  }

  @Test
  void the256thVirtualIpOnOneSegmentIsRefusedAsExhausted() {
    List<VridAllocator.Request> requests = new ArrayList<>();
    for (int i = 0; i < 256; i++) {
      requests.add(
          v4(
              String.format("vip-%03d", i),
              i,
              ABC,
              "10.0." + (i / 250) + "." + (i % 250),
              null,
              null));
    }
    var result = allocator.allocate(requests);
    assertThat(result.get("vip-254").virtualRouterId()).isEqualTo(255);
    VridAllocator.Allocation last = result.get("vip-255");
    assertThat(last.virtualRouterId()).isNull();
    assertThat(last.conflict().reason()).isEqualTo(Reason.VRID_EXHAUSTED);
    assertThat(last.conflict().message()).contains("all 255 IPv4 VRIDs", "a, b, c");
  }

  @Test
  void aThousandVirtualIpsFitOnFourDisjointNodeGroups() {
    List<VridAllocator.Request> requests = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      int group = i % 4;
      Set<String> nodes = Set.of("g" + group + "-a", "g" + group + "-b", "g" + group + "-c");
      requests.add(
          v4("vip-" + i, i, nodes, "10." + group + "." + (i / 250) + "." + (i % 250), null, null));
    }
    long started = System.nanoTime();
    var result = allocator.allocate(requests);
    long micros = (System.nanoTime() - started) / 1000;
    assertThat(result.values()).noneMatch(VridAllocator.Allocation::refused);
    Map<Integer, Set<Integer>> perGroup = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      perGroup
          .computeIfAbsent(i % 4, g -> new HashSet<>())
          .add(result.get("vip-" + i).virtualRouterId());
    }
    assertThat(perGroup.values()).allSatisfy(vrids -> assertThat(vrids).hasSize(250));
    assertThat(micros).as("allocation time in microseconds").isLessThan(2_000_000);
  }

  @Test
  void aThousandVirtualIpsFitOnTwoGroupsWithBothFamilies() {
    List<VridAllocator.Request> requests = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      int group = i % 2;
      boolean six = (i / 2) % 2 == 1;
      Set<String> nodes = Set.of("g" + group + "-a", "g" + group + "-b");
      requests.add(
          new VridAllocator.Request(
              "vip-" + i,
              T0.plusSeconds(i),
              six ? AddressFamily.IPV6 : AddressFamily.IPV4,
              nodes,
              List.of(
                  six
                      ? "2001:db8::" + Integer.toHexString(i)
                      : "10.0." + (i / 250) + "." + (i % 250)),
              null,
              null));
    }
    var result = allocator.allocate(requests);
    assertThat(result.values()).noneMatch(VridAllocator.Allocation::refused);
    assertThat(result.values()).allSatisfy(a -> assertThat(a.virtualRouterId()).isBetween(1, 255));
  }

  private static VridAllocator.Request shareable(
      int i, Set<String> nodes, String key, Integer previous) {
    return new VridAllocator.Request(
        String.format("vip-%04d", i),
        T0.plusSeconds(i),
        AddressFamily.IPV4,
        nodes,
        List.of("10.1." + (i / 250) + "." + (i % 250)),
        null,
        previous,
        key);
  }

  @Test
  void whenVridsRunOutCompatibleVirtualIpsShareOneEvenly() {
    List<VridAllocator.Request> requests = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      requests.add(shareable(i, ABC, "same-settings", null));
    }
    var result = allocator.allocate(requests);
    assertThat(result.values()).noneMatch(VridAllocator.Allocation::refused);
    assertThat(result.get("vip-0000").sharedWith()).isNull();
    assertThat(result.get("vip-0254").virtualRouterId()).isEqualTo(255);
    assertThat(result.get("vip-0255").virtualRouterId()).isEqualTo(1);
    assertThat(result.get("vip-0255").sharedWith()).isEqualTo("vip-0000");
    Map<Integer, Integer> members = new HashMap<>();
    result.values().forEach(a -> members.merge(a.virtualRouterId(), 1, Integer::sum));
    assertThat(members).hasSize(255);
    assertThat(members.values()).allSatisfy(n -> assertThat(n).isBetween(3, 4));
  }

  @Test
  void sharingNeedsTheSameNodesAndSettings() {
    List<VridAllocator.Request> requests = new ArrayList<>();
    for (int i = 0; i < 255; i++) {
      requests.add(shareable(i, ABC, "interval=1s", null));
    }
    requests.add(shareable(255, ABC, "interval=2s", null));
    requests.add(shareable(256, Set.of("a", "b"), "interval=1s", null));
    requests.add(
        new VridAllocator.Request(
            "never",
            T0.plusSeconds(999),
            AddressFamily.IPV4,
            ABC,
            List.of("10.9.9.9"),
            null,
            null,
            null));
    var result = allocator.allocate(requests);
    assertThat(result.get("vip-0255").conflict().reason()).isEqualTo(Reason.VRID_EXHAUSTED);
    assertThat(result.get("vip-0255").conflict().message()).contains("same VRRP settings");
    assertThat(result.get("vip-0256").conflict().reason()).isEqualTo(Reason.VRID_EXHAUSTED);
    assertThat(result.get("never").conflict().reason()).isEqualTo(Reason.VRID_EXHAUSTED);
  }

  @Test
  void aSharedVridIsKeptWhenVridsFreeUp() {
    // vip-0300 shared VRID 9 with vip-0009; now VRIDs are free again, yet it stays (moving is a
    // failover)
    var result =
        allocator.allocate(
            List.of(
                shareable(9, ABC, "k", 9),
                shareable(300, ABC, "k", 9),
                shareable(400, ABC, "k", null)));
    assertThat(result.get("vip-0009").virtualRouterId()).isEqualTo(9);
    assertThat(result.get("vip-0300").virtualRouterId()).isEqualTo(9);
    assertThat(result.get("vip-0300").sharedWith()).isEqualTo("vip-0009");
    assertThat(result.get("vip-0400").virtualRouterId()).isEqualTo(1);
    assertThat(result.get("vip-0400").sharedWith()).isNull();
  }

  @Test
  void whenTheLeaderGoesTheNextMemberLeads() {
    var result =
        allocator.allocate(List.of(shareable(300, ABC, "k", 9), shareable(301, ABC, "k", 9)));
    assertThat(result.get("vip-0300").sharedWith()).isNull();
    assertThat(result.get("vip-0301").sharedWith()).isEqualTo("vip-0300");
    assertThat(result.get("vip-0301").virtualRouterId()).isEqualTo(9);
  }

  @Test
  void aSharedIpv6AdvertisementStaysWithinTheMtu() {
    List<VridAllocator.Request> requests = new ArrayList<>();
    for (int i = 0; i < 255; i++) {
      requests.add(
          new VridAllocator.Request(
              "leader-" + i,
              T0.plusSeconds(i),
              AddressFamily.IPV6,
              ABC,
              List.of("2001:db8::" + Integer.toHexString(i + 1)),
              null,
              null,
              "k"));
    }
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 89; i++) {
      many.add("2001:db8:1::" + Integer.toHexString(i + 1));
    }
    requests.add(
        new VridAllocator.Request(
            "fits", T0.plusSeconds(1000), AddressFamily.IPV6, ABC, many, null, null, "k"));
    requests.add(
        new VridAllocator.Request(
            "big",
            T0.plusSeconds(1001),
            AddressFamily.IPV6,
            ABC,
            List.of("2001:db8:2::1", "2001:db8:2::2", "2001:db8:2::3"),
            null,
            null,
            "k"));
    var result = allocator.allocate(requests);
    assertThat(result.get("fits").sharedWith()).isEqualTo("leader-0");
    // leader-0 now carries 90 addresses; "big" goes to the next smallest group
    assertThat(result.get("big").sharedWith()).isEqualTo("leader-1");
  }

  @Test
  void anExplicitVridNeverJoinsAGroup() {
    var result =
        allocator.allocate(
            List.of(
                shareable(1, ABC, "k", 1),
                new VridAllocator.Request(
                    "explicit",
                    T0.plusSeconds(5),
                    AddressFamily.IPV4,
                    ABC,
                    List.of("10.5.5.5"),
                    1,
                    null,
                    "k")));
    assertThat(result.get("explicit").conflict().reason()).isEqualTo(Reason.VRID_CONFLICT);
  }

  @Test
  void aNarrowedRangeIsAllocatedFromSharedWhenUsedUpAndHonoursExplicitVridsOutsideIt() {
    VridAllocator narrow = new VridAllocator(VridRange.parse("50-51"));
    var result =
        narrow.allocate(
            List.of(
                new VridAllocator.Request(
                    "a", T0, AddressFamily.IPV4, ABC, List.of("192.0.2.1"), null, null, "k"),
                new VridAllocator.Request(
                    "b",
                    T0.plusSeconds(1),
                    AddressFamily.IPV4,
                    ABC,
                    List.of("192.0.2.2"),
                    null,
                    7,
                    "k"),
                new VridAllocator.Request(
                    "c",
                    T0.plusSeconds(2),
                    AddressFamily.IPV4,
                    ABC,
                    List.of("192.0.2.3"),
                    null,
                    null,
                    "k"),
                v4("explicit", 3, ABC, "192.0.2.4", 10, null)));
    assertThat(result.get("a").virtualRouterId()).isEqualTo(50);
    assertThat(result.get("b").virtualRouterId())
        .as("an allocated VRID outside the range moves in")
        .isEqualTo(51);
    assertThat(result.get("c").virtualRouterId()).isIn(50, 51);
    assertThat(result.get("c").sharedWith()).isIn("a", "b");
    assertThat(result.get("explicit").virtualRouterId()).isEqualTo(10);
  }

  @Test
  void aRangeIsCheckedWithAMessageNamingIt() {
    assertThat(VridRange.parse("7")).isEqualTo(new VridRange(7, 7));
    assertThat(VridRange.parse(" 50 - 255 ")).isEqualTo(new VridRange(50, 255));
    Assertions.assertThatThrownBy(() -> VridRange.parse("0-255"))
        .hasMessageContaining("virtual router ids")
        .hasMessageContaining("0-255");
    Assertions.assertThatThrownBy(() -> VridRange.parse("abc")).hasMessageContaining("'abc'");
    Assertions.assertThatThrownBy(() -> VridRange.parse("9-3")).hasMessageContaining("9-3");
  }
}
