package dev.vrrp.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.v1alpha1.NodePriority;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class NodeRankerTest {
  private final NodeRanker ranker = new NodeRanker();

  private static Map<String, Integer> asMap(List<NodePriority> plan) {
    Map<String, Integer> map = new TreeMap<>();
    plan.forEach(p -> map.put(p.getNode(), p.getPriority()));
    return map;
  }

  private static List<NodeRanker.Request> fresh(int count, Set<String> nodes) {
    List<NodeRanker.Request> requests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      requests.add(new NodeRanker.Request("vip-" + i, nodes, List.of(), List.of()));
    }
    return requests;
  }

  @Test
  void ladderStartsHighAndKeepsTheLowestAt50() {
    assertThat(List.of(NodeRanker.ladder(0, 3), NodeRanker.ladder(1, 3), NodeRanker.ladder(2, 3)))
        .containsExactly(250, 200, 150);
    assertThat(NodeRanker.ladder(4, 5)).isEqualTo(50);
    assertThat(NodeRanker.ladder(0, 1)).isEqualTo(250);
    assertThat(NodeRanker.ladder(9, 10))
        .isGreaterThanOrEqualTo(50)
        .isLessThan(NodeRanker.ladder(8, 10));
    assertThat(NodeRanker.ladder(200, 201)).isEqualTo(50);
    assertThat(NodeRanker.ladder(299, 300)).isEqualTo(1);
  }

  @Test
  void everySelectedNodeGetsOneDistinctPriorityHighestFirst() {
    var plan = ranker.rank(fresh(1, Set.of("a", "b", "c"))).get("vip-0");
    assertThat(plan).extracting(NodePriority::getPriority).containsExactly(250, 200, 150);
    assertThat(plan).extracting(NodePriority::getNode).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void mastersAndFirstBackupsSpreadEvenly() {
    Map<String, List<NodePriority>> plans = ranker.rank(fresh(300, Set.of("a", "b", "c")));
    Map<String, Integer> masters = new HashMap<>();
    Map<String, Integer> firstBackups = new HashMap<>();
    plans
        .values()
        .forEach(
            plan -> {
              masters.merge(plan.get(0).getNode(), 1, Integer::sum);
              firstBackups.merge(plan.get(1).getNode(), 1, Integer::sum);
            });
    assertThat(masters).containsOnly(Map.entry("a", 100), Map.entry("b", 100), Map.entry("c", 100));
    assertThat(firstBackups)
        .containsOnly(Map.entry("a", 100), Map.entry("b", 100), Map.entry("c", 100));
  }

  @Test
  void rankingIsDeterministic() {
    var requests = fresh(50, Set.of("a", "b", "c", "d"));
    Map<String, Map<String, Integer>> one = new TreeMap<>();
    Map<String, Map<String, Integer>> two = new TreeMap<>();
    ranker.rank(requests).forEach((k, v) -> one.put(k, asMap(v)));
    new NodeRanker().rank(requests).forEach((k, v) -> two.put(k, asMap(v)));
    assertThat(one).isEqualTo(two).hasSize(50);
  }

  @Test
  void explicitPrioritiesAreKeptAndRankedNodesAvoidTheirValues() {
    var plan =
        ranker
            .rank(
                List.of(
                    new NodeRanker.Request(
                        "vip",
                        Set.of("a", "b", "c"),
                        List.of(new NodePriority("a", 250), new NodePriority("ghost", 10)),
                        List.of())))
            .get("vip");
    Map<String, Integer> byNode = asMap(plan);
    assertThat(byNode).containsEntry("a", 250).doesNotContainKey("ghost").hasSize(3);
    assertThat(byNode.get("b")).isNotEqualTo(250);
    assertThat(byNode.get("c")).isNotEqualTo(250);
    assertThat(Set.copyOf(byNode.values())).hasSize(3);
  }

  @Test
  void nodesWithoutAnExplicitPriorityAreBackupsBelowEveryListedNode() {
    // examples/01: a master/backup pair on a three-node cluster; the third node must not win
    var plan =
        ranker
            .rank(
                List.of(
                    new NodeRanker.Request(
                        "web",
                        Set.of("node-a", "node-b", "node-c"),
                        List.of(new NodePriority("node-a", 150), new NodePriority("node-b", 100)),
                        List.of())))
            .get("web");
    assertThat(plan)
        .extracting(NodePriority::getNode)
        .containsExactly("node-a", "node-b", "node-c");
    assertThat(asMap(plan)).containsEntry("node-a", 150).containsEntry("node-b", 100);
    assertThat(asMap(plan).get("node-c")).isBetween(1, 99);
  }

  @Test
  void anUnlistedNodeStaysFarEnoughBelowTheListedBackupToLoseTheMasterDownRace() {
    // 100 against 99 differ by 4 ms of skew time at a 1 s interval: scheduling jitter then decides
    // who takes over from node-a, and node-b preempts node-c a moment later (a second failover)
    var plan =
        ranker
            .rank(
                List.of(
                    new NodeRanker.Request(
                        "web",
                        Set.of("node-a", "node-b", "node-c", "node-d"),
                        List.of(new NodePriority("node-a", 150), new NodePriority("node-b", 100)),
                        List.of())))
            .get("web");
    assertThat(plan).extracting(NodePriority::getNode).startsWith("node-a", "node-b");
    for (int i = 2; i < plan.size(); i++) { // highest first
      assertThat(plan.get(i - 1).getPriority() - plan.get(i).getPriority())
          .as("%s under %s", plan.get(i).getNode(), plan.get(i - 1).getNode())
          .isGreaterThanOrEqualTo(25); // 100 ms of skew time at a 1 s interval
    }
  }

  @Test
  void unlistedNodesStayDistinctEvenUnderALowExplicitPriority() {
    var plan =
        ranker
            .rank(
                List.of(
                    new NodeRanker.Request(
                        "vip",
                        Set.of("a", "b", "c", "d"),
                        List.of(new NodePriority("a", 4)),
                        List.of())))
            .get("vip");
    assertThat(plan.get(0).getNode()).isEqualTo("a");
    assertThat(plan.subList(1, 4)).extracting(NodePriority::getPriority).containsExactly(3, 2, 1);
  }

  @Test
  void aNewNodeJoinsAtTheBottomAndTheMasterStays() {
    var first =
        ranker
            .rank(
                List.of(new NodeRanker.Request("vip", Set.of("a", "b", "c"), List.of(), List.of())))
            .get("vip");
    String master = first.get(0).getNode();
    var second =
        ranker
            .rank(
                List.of(
                    new NodeRanker.Request("vip", Set.of("a", "b", "c", "d"), List.of(), first)))
            .get("vip");
    assertThat(second.get(0).getNode()).isEqualTo(master);
    assertThat(second.get(3).getNode()).isEqualTo("d");
    assertThat(second.subList(0, 3))
        .extracting(NodePriority::getNode)
        .containsExactlyElementsOf(first.stream().map(NodePriority::getNode).toList());
  }

  @Test
  void deletingAVirtualIpMovesNoOtherMaster() {
    var requests = fresh(30, Set.of("a", "b", "c"));
    Map<String, List<NodePriority>> before = ranker.rank(requests);
    List<NodeRanker.Request> after = new ArrayList<>();
    for (var r : requests) {
      if (!r.name().equals("vip-3")) {
        after.add(new NodeRanker.Request(r.name(), r.nodes(), List.of(), before.get(r.name())));
      }
    }
    Map<String, List<NodePriority>> replanned = ranker.rank(after);
    replanned.forEach((name, plan) -> assertThat(asMap(plan)).isEqualTo(asMap(before.get(name))));
  }

  @Test
  void aRemovedNodeLeavesTheOrderOfTheOthers() {
    var first =
        ranker
            .rank(
                List.of(new NodeRanker.Request("vip", Set.of("a", "b", "c"), List.of(), List.of())))
            .get("vip");
    String gone = first.get(1).getNode();
    Set<String> left = new TreeSet<>(Set.of("a", "b", "c"));
    left.remove(gone);
    var second =
        ranker.rank(List.of(new NodeRanker.Request("vip", left, List.of(), first))).get("vip");
    assertThat(second)
        .extracting(NodePriority::getNode)
        .containsExactly(first.get(0).getNode(), first.get(2).getNode());
  }
}
