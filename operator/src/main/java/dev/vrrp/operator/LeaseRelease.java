package dev.vrrp.operator;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.ZonedDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the Lease up when a leading replica shuts down, after it stopped reconciling, so a standby
 * leads at its next retry instead of waiting out the lease duration (a rolling update of the
 * operator). JOSDK's leader election does not release on stop; this does what client-go's {@code
 * ReleaseOnCancel} does: no holder, a one-second duration. Only a Lease this replica still holds is
 * touched, at its resourceVersion: one another replica took meanwhile stays theirs.
 */
final class LeaseRelease {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseRelease.class);

  private LeaseRelease() {}

  /** Releases the Lease if {@code identity} holds it; never throws (shutdown goes on). */
  static void release(
      KubernetesClient client, String namespace, String name, String identity, Clock clock) {
    try {
      Lease lease = client.leases().inNamespace(namespace).withName(name).get();
      if (lease == null
          || lease.getSpec() == null
          || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return;
      }
      ZonedDateTime now = ZonedDateTime.now(clock);
      lease.getSpec().setHolderIdentity(null);
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setRenewTime(now);
      lease.getSpec().setAcquireTime(now);
      client.leases().inNamespace(namespace).resource(lease).update();
      LOG.info("{} released the Lease {}/{}", identity, namespace, name);
    } catch (KubernetesClientException e) {
      // a conflict (taken meanwhile) or no API server: the Lease expires on its own
      LOG.warn(
          "{} could not release the Lease {}/{} (it expires on its own): {}",
          identity,
          namespace,
          name,
          e.getMessage());
    }
  }
}
