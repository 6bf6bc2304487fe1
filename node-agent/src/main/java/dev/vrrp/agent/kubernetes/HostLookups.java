package dev.vrrp.agent.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The node's own routing table (via iproute2) and Secrets through the API. */
final class HostLookups implements InstancePlan.Lookups {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final KubernetesClient client;

  HostLookups(KubernetesClient client) {
    this.client = client;
  }

  /** The interface the kernel would use to reach the address: the VIP's natural home. */
  @Override
  public Optional<String> interfaceFor(String address) {
    try {
      Process p = new ProcessBuilder("ip", "-json", "route", "get", address).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return Optional.empty();
      }
      JsonNode routes = JSON.readTree(out);
      return routes.isArray() && routes.size() > 0 && routes.get(0).hasNonNull("dev")
          ? Optional.of(routes.get(0).get("dev").asText()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public Optional<String> secret(String namespace, String name, String key) {
    try {
      Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
      if (secret == null || secret.getData() == null || !secret.getData().containsKey(key)) {
        return Optional.empty();
      }
      return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8));
    } catch (KubernetesClientException e) {
      return Optional.empty();
    }
  }
}
