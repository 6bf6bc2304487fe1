package dev.vrrp.agent.kubernetes;

import dev.vrrp.api.ClientSerialization;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;

/**
 * The agent's API client, built for the network failing under it. HTTP/1.1: over HTTP/2 every
 * request shares one connection, and when the network to the API server is cut that connection is
 * neither closed nor replaced; after the network is back it revives only at TCP's next
 * retransmission, up to half a minute later for a one-minute outage, and every status write waits
 * for it. Over HTTP/1.1 a request that times out takes its connection with it, and the next try
 * opens a new one. Short timeouts and one retry, so that try comes seconds after the API server is
 * back.
 */
public final class AgentClient {
  /** How long a connection attempt may take (the API server is one hop or a few away). */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

  /** How long a request may take: one entry, a Node, a page of VirtualIPs. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Retries of a failed request inside the client: one, for a blip. The agent's own loops try again
   * with a new entry; the client's default (ten, backing off to 3.2 s) holds a status writer for a
   * minute during an outage and sends an entry built before it.
   */
  static final int REQUEST_RETRIES = 1;

  /**
   * The first wait before an informer lists or watches again after a failure; it doubles up to 32
   * times this (8 s), so the agent sees the cluster again seconds after an outage ends.
   */
  static final Duration WATCH_RETRY = Duration.ofMillis(250);

  private AgentClient() {}

  /**
   * The in-cluster (or kubeconfig) configuration with the agent's protocol and timeouts, set on the
   * instance itself: it stays the auto-configured one whose service-account token is re-read.
   */
  static Config config(Config base) {
    base.setHttp2Disable(true);
    base.setConnectionTimeout((int) CONNECT_TIMEOUT.toMillis());
    base.setRequestTimeout((int) REQUEST_TIMEOUT.toMillis());
    base.setRequestRetryBackoffLimit(REQUEST_RETRIES);
    base.setWatchReconnectInterval((int) WATCH_RETRY.toMillis());
    return base;
  }

  /** A client for this environment (service account in a pod, else the kubeconfig). */
  public static KubernetesClient create() {
    return new KubernetesClientBuilder()
        .withConfig(config(Config.autoConfigure(null)))
        .withKubernetesSerialization(ClientSerialization.withoutManagedFields())
        .build();
  }
}
