package dev.vrrp.engine;

/** The timers one instance owns; arming one that is armed replaces it. */
public enum TimerKind {
  /** RFC 5798 Adver_Timer: the master's next advertisement. */
  ADVERTISEMENT,
  /** RFC 5798 Master_Down_Timer: a backup's patience with a silent master. */
  MASTER_DOWN,
  /** keepalived's preempt_delay: how long a backup tolerates a lower-priority master. */
  PREEMPT_DELAY
}
