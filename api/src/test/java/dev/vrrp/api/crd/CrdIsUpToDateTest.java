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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The checked-in CRD is exactly what the Java types generate, and it carries what the generator
 * cannot express.
 */
class CrdIsUpToDateTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static String generated;
  private static CustomResourceDefinition crd;
  private static JSONSchemaProps schema;

  @BeforeAll
  static void generate() {
    generated = VirtualIpCrdGenerator.generate();
    crd = SERIALIZATION.unmarshal(generated, CustomResourceDefinition.class);
    schema = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
  }

  @Test
  void checkedInCrdIsTheGeneratedOne() throws IOException {
    Path checkedIn =
        Path.of(System.getProperty("crd.checked-in.dir", "../crds"))
            .resolve(VirtualIpCrdGenerator.FILE_NAME)
            .toAbsolutePath()
            .normalize();
    String refresh =
        "refresh it from the Java types with\n  " + VirtualIpCrdGenerator.REFRESH_COMMAND + "\n";
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
    assertListMap(at("status.nodes"), "name");
    assertListMap(at("status.conditions"), "type");
    assertThat(at("status.conditions").getItems().getSchema().getRequired())
        .contains("type", "status");
    assertListMap(at("status.priorities"), "node");
    assertListMap(at("spec.priorities"), "node");
  }

  @Test
  void addressesAreASetOfAtMost255BoundedStrings() {
    JSONSchemaProps addresses = at("spec.addresses");
    assertThat(addresses.getXKubernetesListType()).isEqualTo("set");
    assertThat(addresses.getMaxItems()).isEqualTo(255);
    // CEL cost estimates need bounded items
    assertThat(addresses.getItems().getSchema().getMaxLength()).isEqualTo(49);
  }

  @Test
  void printerColumnsKeepTheirDeclaredOrder() {
    assertThat(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("ADDRESSES", "MASTER", "VRID", "READY", "AGE");
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

  private static JSONSchemaProps at(String path) {
    JSONSchemaProps node = schema;
    for (String name : path.split("\\.")) {
      node = node.getProperties().get(name);
    }
    return node;
  }
}
