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
  private final String agentNamespace;

  /**
   * @param agentNamespace where the agent runs (the chart's Role covers Secrets there), or null
   */
  HostLookups(KubernetesClient client, String agentNamespace) {
    this.client = client;
    this.agentNamespace = agentNamespace;
  }

  /**
   * The interface of the most specific route to the address in the main table: the VIP's natural
   * home. Not {@code ip route get}: once this node holds the address, the kernel answers with the
   * local table's {@code local ... dev lo}, and the VirtualIP would move to the loopback.
   */
  @Override
  public Optional<String> interfaceFor(String address) {
    try {
      Process p =
          new ProcessBuilder(
                  "ip",
                  address.contains(":") ? "-6" : "-4",
                  "-json",
                  "route",
                  "show",
                  "table",
                  "main",
                  "match",
                  address)
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return Optional.empty();
      }
      return mostSpecificDevice(out);
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * From {@code ip -json route show ... match}: the device of the route with the longest prefix.
   */
  static Optional<String> mostSpecificDevice(String json) throws IOException {
    JsonNode routes = JSON.readTree(json);
    String device = null;
    int longest = -1;
    if (routes != null && routes.isArray()) {
      for (JsonNode route : routes) {
        if (!route.hasNonNull("dev") || !route.hasNonNull("dst")) {
          continue;
        }
        String dst = route.get("dst").asText();
        int prefix =
            dst.equals("default")
                ? 0
                : dst.contains("/")
                    ? Integer.parseInt(dst.substring(dst.indexOf('/') + 1))
                    : dst.contains(":") ? 128 : 32;
        if (prefix > longest) {
          longest = prefix;
          device = route.get("dev").asText();
        }
      }
    }
    return Optional.ofNullable(device);
  }

  /**
   * The key's value, or what keeps the agent from using it, in words that say what to change: a
   * missing Secret or key, and a forbidden read (the agents may read Secrets only where the chart's
   * Role lets them, its release namespace), are different fixes.
   */
  @Override
  public InstancePlan.SecretValue secret(String namespace, String name, String key) {
    try {
      Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
      if (secret == null) {
        return InstancePlan.SecretValue.unusable("not found");
      }
      if (secret.getData() == null || !secret.getData().containsKey(key)) {
        return InstancePlan.SecretValue.unusable("the Secret has no key " + key);
      }
      return InstancePlan.SecretValue.of(
          new String(
              Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        return InstancePlan.SecretValue.unusable(
            "forbidden: the agents' service account may not read it"
                + (agentNamespace == null
                    ? ""
                    : " (the chart lets the agents read Secrets in namespace "
                        + agentNamespace
                        + " only)"));
      }
      return InstancePlan.SecretValue.unusable("cannot be read: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      return InstancePlan.SecretValue.unusable("the value of key " + key + " is not base64");
    }
  }
}
