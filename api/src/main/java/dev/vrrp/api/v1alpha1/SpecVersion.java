package dev.vrrp.api.v1alpha1;

import java.util.Objects;

/**
 * Which version of a VirtualIP's spec an object is: its uid (a VirtualIP deleted and created again
 * under the same name is another one) and its generation (the API server bumps it on every spec
 * change, never on a status write). What the operator and the agents cache per VirtualIP is keyed
 * by this, so that the thousands of status writes of a busy cluster never look like a new spec.
 */
public record SpecVersion(String uid, Long generation) {
  public static SpecVersion of(VirtualIP vip) {
    return new SpecVersion(vip.getMetadata().getUid(), vip.getMetadata().getGeneration());
  }

  /** Whether {@code vip} is this version; false when either side does not know its generation. */
  public boolean matches(VirtualIP vip) {
    return generation != null
        && Objects.equals(uid, vip.getMetadata().getUid())
        && generation.equals(vip.getMetadata().getGeneration());
  }
}
