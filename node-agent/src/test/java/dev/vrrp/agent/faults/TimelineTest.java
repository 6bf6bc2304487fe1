package dev.vrrp.agent.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules that decide what the fault suite reports: each failure shape it must see, and not. */
class TimelineTest {
  private static final long MS = 1_000_000;
  private static final long I = 100 * MS;

  /** Adverts from a node every interval, from start (inclusive) to end (exclusive), in ms. */
  private static void advertise(
      List<Observation> out, String node, int priority, long from, long to) {
    for (long t = from; t < to; t += 100) {
      out.add(Observation.advert(t * MS, node, priority));
    }
  }

  private static void replies(List<Observation> out, String node, long from, long to) {
    for (long t = from; t < to; t += 5) {
      out.add(Observation.reply(t * MS, node));
    }
  }

  @Test
  void aCrashIsASilenceOfMasterDownAndNoOverlap() {
    List<Observation> seen = new ArrayList<>();
    advertise(seen, "a", 200, 0, 1000); // last at 900, a dies
    advertise(seen, "b", 150, 1900 - 559, 3000); // b: 3 intervals + skew after a's last
    replies(seen, "a", 0, 950);
    replies(seen, "b", 1360, 3000);
    Figures f = new Timeline(seen, I).measure(0, 3000 * MS);
    assertThat(f.dualMasterMs()).isZero();
    assertThat(f.noMasterMs()).isCloseTo(441, within(0.01));
    assertThat(f.clientGapMs()).isCloseTo(415, within(0.01));
    assertThat(f.dualAnswerMs()).isZero();
    assertThat(f.masters()).containsExactly("a", "b");
  }

  @Test
  void aBackupThatYieldsOnTheFirstBetterAdvertIsNoDualMaster() {
    List<Observation> seen = new ArrayList<>();
    advertise(seen, "b", 150, 0, 1050); // b master, last advert at 1000
    advertise(seen, "a", 200, 1040, 2000); // a preempts at 1040; b hears it and stops
    Figures f = new Timeline(seen, I).measure(0, 2000 * MS);
    assertThat(f.dualMasterMs()).isZero();
    assertThat(f.masters()).containsExactly("b", "a");
  }

  @Test
  void aNodeStillAdvertisingAfterABetterMasterIsDualMaster() {
    List<Observation> seen = new ArrayList<>();
    advertise(seen, "a", 200, 0, 2000);
    advertise(seen, "b", 150, 1000, 1500); // a partition: b advertises too, 1000..1400 and its tail
    Figures f = new Timeline(seen, I).measure(0, 2000 * MS);
    // b's run 1000..1400, then its tail ends at a's next advert (1500): 500 ms both master
    assertThat(f.dualMasterMs()).isCloseTo(500, within(0.01));
  }

  @Test
  void aLoneAdvertOfALowerNodeThatYieldsAtOnceCountsUntilTheBetterAdvert() {
    List<Observation> seen = new ArrayList<>();
    advertise(seen, "b", 150, 1000, 2000);
    seen.add(Observation.advert(1020 * MS, "c", 100)); // c's Master_Down ran out 20 ms later
    Figures f = new Timeline(seen, I).measure(0, 2000 * MS);
    // c's one advert at 1020 is beaten by b's next at 1100: 80 ms of two masters
    assertThat(f.dualMasterMs()).isCloseTo(80, within(0.01));
  }

  @Test
  void threeMastersAtOnceCountOnce() {
    List<Observation> seen = new ArrayList<>();
    advertise(seen, "a", 200, 0, 1000);
    advertise(seen, "b", 150, 0, 1000);
    advertise(seen, "c", 100, 0, 1000);
    Figures f = new Timeline(seen, I).measure(0, 1000 * MS);
    assertThat(f.dualMasterMs()).isCloseTo(1000, within(0.01));
  }

  @Test
  void interleavedRepliesAreDualAnsweringAndArpFromANonMasterIsStray() {
    List<Observation> seen = new ArrayList<>();
    advertise(seen, "b", 150, 0, 1000);
    replies(seen, "b", 0, 1000);
    replies(seen, "a", 300, 400); // a's kernel still answers with a stale copy
    seen.add(Observation.arp(350 * MS, "a"));
    seen.add(Observation.arp(360 * MS, "b"));
    Figures f = new Timeline(seen, I).measure(0, 1000 * MS);
    assertThat(f.dualAnswerMs()).isCloseTo(95, within(0.01));
    assertThat(f.strayArpFrom()).containsExactly("a");
    assertThat(f.dualMasterMs()).isZero();
  }

  @Test
  void onlyTheWindowCounts() {
    List<Observation> seen = new ArrayList<>();
    advertise(seen, "a", 200, 0, 1000);
    advertise(seen, "b", 150, 0, 1000);
    advertise(seen, "a", 200, 5000, 6000);
    Figures f = new Timeline(seen, I).measure(5000 * MS, 6000 * MS);
    assertThat(f.dualMasterMs()).isZero();
    assertThat(f.masters()).containsExactly("a");
  }

  @Test
  void aGracefulResignEndsMastershipAtItsPriorityZeroAdvertisement() {
    List<Observation> seen = new ArrayList<>();
    advertise(seen, "a", 200, 0, 1000); // last at 900
    seen.add(Observation.advert(950 * MS, "a", 0)); // SIGTERM: priority 0
    advertise(seen, "b", 150, 953, 2000); // b takes over after its skew time, lower priority
    Figures f = new Timeline(seen, I).measure(0, 2000 * MS);
    assertThat(f.dualMasterMs()).isZero();
    assertThat(f.masters()).containsExactly("a", "b");
  }

  @Test
  void twoSeparateOverlapsSumForTheTotalAndTheLongerIsTheLongest() {
    List<Timeline.Span> spans =
        List.of(
            new Timeline.Span("a", 0, 1000 * MS),
            new Timeline.Span("b", 900 * MS, 1000 * MS), // 100 ms with a
            new Timeline.Span("a", 2000 * MS, 3000 * MS),
            new Timeline.Span("c", 2500 * MS, 2800 * MS), // 300 ms with a
            new Timeline.Span("b", 2600 * MS, 2700 * MS)); // inside: three at once count once
    assertThat(Timeline.overlap(spans)).isEqualTo(400 * MS);
    assertThat(Timeline.longestOverlap(spans)).isEqualTo(300 * MS);
  }
}
