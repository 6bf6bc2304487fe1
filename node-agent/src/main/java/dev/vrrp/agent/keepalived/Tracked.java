package dev.vrrp.agent.keepalived;

import dev.vrrp.api.v1alpha1.HealthCheck;

/**
 * A block that defines something an instance may track by name ({@code vrrp_script}, {@code
 * track_file}, {@code vrrp_track_process}), as the health check it becomes.
 */
interface Tracked {
  /** The check an instance gets, with the weight the instance's track item may override. */
  HealthCheck check(Integer weightOverride);
}
