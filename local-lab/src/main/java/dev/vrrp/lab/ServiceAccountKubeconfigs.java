package dev.vrrp.lab;

import io.fabric8.kubernetes.api.model.NamedAuthInfoBuilder;
import io.fabric8.kubernetes.api.model.NamedClusterBuilder;
import io.fabric8.kubernetes.api.model.NamedContextBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Gives a pod its service account's identity the way a cluster does: a token from the TokenRequest
 * API, here written into a kubeconfig (the process has no mounted token). So the lab's operator and
 * agents work with the chart's RBAC, not as administrators.
 */
final class ServiceAccountKubeconfigs {
  private static final long LIFETIME_SECONDS = 7 * 24 * 3600L;
  private final KubernetesClient admin;
  private final Path dir;
  private final Map<String, Path> written = new HashMap<>();

  ServiceAccountKubeconfigs(KubernetesClient admin, Path dir) {
    this.admin = admin;
    this.dir = dir;
  }

  synchronized Path kubeconfig(String namespace, String serviceAccount) throws IOException {
    String key = namespace + "/" + serviceAccount;
    Path existing = written.get(key);
    if (existing != null) {
      return existing;
    }
    TokenRequest request =
        admin
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(serviceAccount)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(LIFETIME_SECONDS)
                    .endSpec()
                    .build());
    Config config = admin.getConfiguration();
    var kubeconfig =
        new io.fabric8.kubernetes.api.model.ConfigBuilder()
            .withApiVersion("v1")
            .withKind("Config")
            .addToClusters(
                new NamedClusterBuilder()
                    .withName("lab")
                    .withNewCluster()
                    .withServer(config.getMasterUrl())
                    .withCertificateAuthorityData(caData(config))
                    .endCluster()
                    .build())
            .addToUsers(
                new NamedAuthInfoBuilder()
                    .withName(serviceAccount)
                    .withNewUser()
                    .withToken(request.getStatus().getToken())
                    .endUser()
                    .build())
            .addToContexts(
                new NamedContextBuilder()
                    .withName("lab")
                    .withNewContext()
                    .withCluster("lab")
                    .withUser(serviceAccount)
                    .withNamespace(namespace)
                    .endContext()
                    .build())
            .withCurrentContext("lab")
            .build();
    Files.createDirectories(dir);
    Path file = dir.resolve("kubeconfig-" + namespace + "-" + serviceAccount);
    Files.writeString(file, Serialization.asYaml(kubeconfig));
    written.put(key, file);
    return file;
  }

  private static String caData(Config config) throws IOException {
    if (config.getCaCertData() != null) {
      return config.getCaCertData();
    }
    return java.util.Base64.getEncoder()
        .encodeToString(Files.readAllBytes(Path.of(config.getCaCertFile())));
  }
}
