package dev.vrrp.agent.health;

import java.util.Optional;

/**
 * The link state of an interface, as the kernel tells it in sysfs (the same reading as
 * track_interface).
 */
public final class Link {
  private Link() {}

  /** Why the interface cannot carry traffic (down, no carrier, missing), or empty when it can. */
  public static Optional<String> down(String interfaceName) {
    ProbeResult result = new LinkProbe(interfaceName).probe();
    return result.ok() ? Optional.empty() : Optional.of(result.detail());
  }
}
