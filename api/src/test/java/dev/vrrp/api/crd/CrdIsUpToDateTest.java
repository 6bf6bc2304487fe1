package dev.vrrp.api.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each checked-in CRD is exactly what the Java types generate, and it carries what the generator
 * cannot express.
 */
class CrdIsUpToDateTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  static List<CrdGenerator.Crd> crds() {
    return CrdGenerator.ALL;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("crds")
  void checkedInCrdIsTheGeneratedOne(CrdGenerator.Crd crd) throws IOException {
    String generated = CrdGenerator.generate(crd);
    Path checkedIn =
        Path.of(System.getProperty("crd.checked-in.dir", "../crds"))
            .resolve(crd.fileName())
            .toAbsolutePath()
            .normalize();
    String refresh =
        "refresh it from the Java types with\n  " + CrdGenerator.REFRESH_COMMAND + "\n";
    assertThat(checkedIn).as("%s is missing: %s", checkedIn, refresh).isRegularFile();
    String current = Files.readString(checkedIn, StandardCharsets.UTF_8);
    if (!current.equals(generated)) {
      fail(
          "%s is stale: it differs from what the types in api/ generate, first at%n%s%n%s",
          checkedIn, firstDifference(current, generated), refresh);
    }
  }

  @Test
  void agentsOwnTheirNodeEntryAndTheOperatorItsConditions() {
    JSONSchemaProps vips = schema(CrdGenerator.VIRTUAL_IPS);
    assertListMap(at(vips, "status.nodes"), "name");
    assertListMap(at(vips, "status.conditions"), "type");
    assertThat(at(vips, "status.conditions").getItems().getSchema().getRequired())
        .contains("type", "status");
    assertListMap(at(vips, "status.priorities"), "node");
    assertListMap(at(vips, "spec.priorities"), "node");
  }

  @Test
  void addressesAreASetOfAtMost255BoundedStrings() {
    JSONSchemaProps addresses = at(schema(CrdGenerator.VIRTUAL_IPS), "spec.addresses");
    assertThat(addresses.getXKubernetesListType()).isEqualTo("set");
    assertThat(addresses.getMaxItems()).isEqualTo(255);
    // CEL cost estimates need bounded items
    assertThat(addresses.getItems().getSchema().getMaxLength()).isEqualTo(49);
  }

  @Test
  void printerColumnsKeepTheirDeclaredOrder() {
    assertThat(
            crd(CrdGenerator.VIRTUAL_IPS)
                .getSpec()
                .getVersions()
                .get(0)
                .getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("ADDRESSES", "MASTER", "VRID", "READY", "SERVICES", "AGE");
    assertThat(crd(CrdGenerator.POOLS).getSpec().getVersions().get(0).getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("ADDRESSES", "AUTO", "ASSIGNED", "AVAILABLE", "AGE");
  }

  @Test
  void aPoolIsClusterScopedWithBoundedBlocksAndTheVirtualIpSettings() {
    CustomResourceDefinition pools = crd(CrdGenerator.POOLS);
    assertThat(pools.getSpec().getScope()).isEqualTo("Cluster");
    assertThat(pools.getSpec().getNames().getShortNames()).contains("vippool");
    JSONSchemaProps schema = schema(CrdGenerator.POOLS);
    JSONSchemaProps addresses = at(schema, "spec.addresses");
    assertThat(addresses.getXKubernetesListType()).isEqualTo("set");
    assertThat(addresses.getMaxItems()).isEqualTo(64);
    assertThat(addresses.getItems().getSchema().getMaxLength()).isEqualTo(91);
    assertListMap(at(schema, "status.conditions"), "type");
    // the settings a pool's VirtualIPs get are the VirtualIP's own schema, field for field
    JSONSchemaProps vipSpec = at(schema(CrdGenerator.VIRTUAL_IPS), "spec");
    for (String field :
        List.of(
            "advertisementInterval",
            "authentication",
            "interface",
            "nodeSelector",
            "preempt",
            "preemptDelay",
            "priorities",
            "tolerations",
            "track",
            "unicast",
            "version")) {
      assertThat(at(schema, "spec." + field))
          .as(field)
          .isEqualTo(vipSpec.getProperties().get(field));
    }
  }

  /** The first line where the two differ, with its number, as "checked in" and "generated". */
  private static String firstDifference(String checkedIn, String generated) {
    List<String> a = checkedIn.lines().toList();
    List<String> b = generated.lines().toList();
    int i = 0;
    while (i < a.size() && i < b.size() && a.get(i).equals(b.get(i))) {
      i++;
    }
    return "  line %d, checked in: %s%n  line %d, generated:  %s"
        .formatted(
            i + 1,
            i < a.size() ? a.get(i) : "<end of file>",
            i + 1,
            i < b.size() ? b.get(i) : "<end of file>");
  }

  private static void assertListMap(JSONSchemaProps list, String key) {
    assertThat(list.getXKubernetesListType()).isEqualTo("map");
    assertThat(list.getXKubernetesListMapKeys()).containsExactly(key);
    assertThat(list.getItems().getSchema().getRequired()).contains(key);
  }

  private static CustomResourceDefinition crd(CrdGenerator.Crd crd) {
    return SERIALIZATION.unmarshal(CrdGenerator.generate(crd), CustomResourceDefinition.class);
  }

  private static JSONSchemaProps schema(CrdGenerator.Crd crd) {
    return crd(crd).getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
  }

  private static JSONSchemaProps at(JSONSchemaProps schema, String path) {
    JSONSchemaProps node = schema;
    for (String name : path.split("\\.")) {
      node = node.getProperties().get(name);
    }
    return node;
  }
}
