package dev.vrrp.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.kube.RealApiServer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionCondition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The generated CRD on a real kube-apiserver: accepted (CEL cost included), Established, stored as
 * generated.
 */
@Tag("integration")
class VirtualIpCrdIT {
  @RegisterExtension static final RealApiServer API = new RealApiServer();

  @Test
  void generatedCrdIsAcceptedAndEstablished() {
    CustomResourceDefinition crd = API.installCrd();

    assertThat(crd.getStatus().getConditions())
        .filteredOn(c -> "Established".equals(c.getType()) || "NamesAccepted".equals(c.getType()))
        .extracting(CustomResourceDefinitionCondition::getStatus)
        .containsExactly("True", "True");
    assertThat(crd.getSpec().getScope()).isEqualTo("Cluster");
    assertThat(crd.getStatus().getAcceptedNames().getShortNames()).containsExactly("vip", "vips");
    assertThat(crd.getStatus().getAcceptedNames().getKind()).isEqualTo("VirtualIP");
  }

  @Test
  void serverKeepsListTypesStatusSubresourceAndColumns() {
    CustomResourceDefinitionVersion version = API.installCrd().getSpec().getVersions().get(0);
    JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();

    assertThat(version.getSubresources().getStatus()).isNotNull();
    JSONSchemaProps nodes = root.getProperties().get("status").getProperties().get("nodes");
    assertThat(nodes.getXKubernetesListType()).isEqualTo("map");
    assertThat(nodes.getXKubernetesListMapKeys()).containsExactly("name");
    assertThat(
            root.getProperties()
                .get("spec")
                .getProperties()
                .get("addresses")
                .getXKubernetesListType())
        .isEqualTo("set");
    assertThat(version.getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("ADDRESSES", "MASTER", "VRID", "READY", "SERVICES", "AGE");
  }

  @Test
  void installingAgainChangesNothing() {
    String before = API.installCrd().getMetadata().getResourceVersion();
    assertThat(API.installCrd().getMetadata().getResourceVersion()).isEqualTo(before);
  }
}
