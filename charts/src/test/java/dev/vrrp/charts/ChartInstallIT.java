package dev.vrrp.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import dev.vrrp.lab.ApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code helm install} into a real kube-apiserver: the release deploys and the server keeps every
 * object.
 */
@Tag("integration")
class ChartInstallIT {
  @RegisterExtension static final InstalledChart CHART = new InstalledChart();

  @Test
  void releaseIsDeployed() {
    Release release = CHART.release();

    assertThat(release.getStatus()).isEqualTo("deployed");
    assertThat(release.getNamespace()).isEqualTo(Chart.NAMESPACE);
    assertThat(release.getChart()).isEqualTo("vrrp-operator-0.1.0");
    assertThat(release.getAppVersion()).isEqualTo("0.1.0");
    assertThat(
            Helm.list()
                .withKubeConfigContents(CHART.kubeconfig())
                .withNamespace(Chart.NAMESPACE)
                .call())
        .extracting(Release::getName, Release::getStatus)
        .containsExactly(tuple(Chart.RELEASE, "deployed"));
  }

  @Test
  void everyRenderedObjectIsStoredAsRendered() {
    KubernetesClient client = CHART.admin();
    List<HasMetadata> rendered = Chart.render("");

    assertThat(rendered).hasSize(16);
    for (HasMetadata object : rendered) {
      HasMetadata stored = client.resource(object).get();
      assertThat(stored).as("%s on the server", ChartRenderTest.id(object)).isNotNull();
      System.out.printf(
          "stored %-55s uid %s%n", ChartRenderTest.id(stored), stored.getMetadata().getUid());
      assertThat(stored.getMetadata().getLabels())
          .containsAllEntriesOf(object.getMetadata().getLabels());
      assertThat(stored.getMetadata().getAnnotations())
          .containsEntry("meta.helm.sh/release-name", Chart.RELEASE)
          .containsEntry("meta.helm.sh/release-namespace", Chart.NAMESPACE);
    }
    // the RBAC rules as rendered, the hardening kept by the server's defaulting
    for (HasMetadata object : rendered) {
      if (object instanceof ClusterRole role) {
        assertThat(
                Chart.rules(
                    client
                        .rbac()
                        .clusterRoles()
                        .withName(role.getMetadata().getName())
                        .get()
                        .getRules()))
            .isEqualTo(Chart.rules(role.getRules()));
      } else if (object instanceof Role role) {
        assertThat(
                Chart.rules(
                    client
                        .rbac()
                        .roles()
                        .inNamespace(role.getMetadata().getNamespace())
                        .withName(role.getMetadata().getName())
                        .get()
                        .getRules()))
            .isEqualTo(Chart.rules(role.getRules()));
      }
    }
    Deployment deployment =
        client.apps().deployments().inNamespace(Chart.NAMESPACE).withName("vrrp-operator").get();
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(
            deployment
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getSecurityContext())
        .isEqualTo(ChartRenderTest.operatorContainer(rendered).getSecurityContext());
    assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext())
        .isEqualTo(
            Chart.one(rendered, Deployment.class, "vrrp-operator")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getSecurityContext());
  }

  @Test
  void crdFromTheChartIsEstablished() throws IOException {
    CustomResourceDefinition stored =
        CHART
            .admin()
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName(InstalledChart.CRD_NAME)
            .get();
    CustomResourceDefinition file;
    try (InputStream in =
        Files.newInputStream(Repo.chart().resolve("crds/virtualips.vrrp.dev-v1.yml"))) {
      file = CHART.admin().apiextensions().v1().customResourceDefinitions().load(in).item();
    }

    assertThat(ApiServer.established(stored)).isTrue();
    assertThat(stored.getSpec().getVersions())
        .extracting(v -> v.getName())
        .containsExactly("v1alpha1");
    assertThat(stored.getSpec().getVersions().get(0).getSchema())
        .isEqualTo(file.getSpec().getVersions().get(0).getSchema());
  }

  @Test
  void installWithAnUnknownValueFailsAndCreatesNothing() {
    assertThatThrownBy(
            () ->
                Chart.helm()
                    .install()
                    .withName("vrrp-typo")
                    .withNamespace("vrrp-typo")
                    .createNamespace()
                    .set("operator.replica", "3")
                    .withKubeConfigContents(CHART.kubeconfig())
                    .call())
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining("operator: Additional property replica is not allowed");

    assertThat(CHART.admin().namespaces().withName("vrrp-typo").get()).isNull();
    assertThat(Helm.list().withKubeConfigContents(CHART.kubeconfig()).allNamespaces().call())
        .extracting(Release::getName)
        .containsExactly(Chart.RELEASE);
  }
}
