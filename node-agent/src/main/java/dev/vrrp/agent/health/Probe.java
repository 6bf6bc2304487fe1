package dev.vrrp.agent.health;

/**
 * Looks once at one thing the instance depends on. A probe bounds its own wait by its timeout; it
 * runs on the tracker's probe threads, never on the shared scheduler.
 */
@FunctionalInterface
interface Probe {
  /**
   * Failures are results, not exceptions; only an interrupt (the tracker closing) ends a probe
   * early.
   */
  ProbeResult probe() throws InterruptedException;
}
