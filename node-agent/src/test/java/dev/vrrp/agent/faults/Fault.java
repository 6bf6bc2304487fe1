package dev.vrrp.agent.faults;

import java.util.Arrays;
import java.util.List;

/** What the suite does to a node, and whether VRRP can tell it from a dead master. */
enum Fault {
  /** kill -9 of the master's agent; a supervisor restarts it after a while. */
  KILL,
  /** SIGTERM: a graceful resign (priority 0), then a restart after a while. */
  TERM,
  /** A rolling update: SIGTERM and an immediate restart. */
  RESTART,
  /** The master's cable is pulled for a while. */
  LINK,
  /** The master's traffic is dropped on the switch for a while, its carrier up. */
  PARTITION,
  /** kill -9 of a backup's agent, restarted after a while: the master must not notice. */
  KILL_BACKUP,
  /**
   * A crash loop on the master: kill -9 every 2 to 5 s, each time restarted at once, for a while.
   */
  CRASH_LOOP;

  /** The faults drawn at random; a crash loop runs on its own. */
  static List<Fault> mix() {
    return Arrays.stream(values()).filter(f -> f != CRASH_LOOP).toList();
  }

  /** The master's agent dies without resigning: its copy lives until its lease ends. */
  boolean killsTheMaster() {
    return this == KILL || this == CRASH_LOOP;
  }

  /** Both sides of a partition are master by design (VRRP cannot tell it from a dead master). */
  boolean splitsBrainByDesign() {
    return this == PARTITION;
  }
}
