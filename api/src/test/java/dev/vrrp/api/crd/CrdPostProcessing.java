package dev.vrrp.api.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What fabric8's CRD generator 7.5.2 cannot express from annotations, added to the generated CRD
 * before it is written:
 *
 * <ul>
 *   <li>list types: {@code x-kubernetes-list-type} {@code set} or {@code map} (with its keys, which
 *       become required in the items, as Kubernetes demands). A list-map is what lets each agent
 *       own exactly its own {@code status.nodes[name=...]} entry with server-side apply;
 *   <li>printer columns in the order they are declared on the resource class (the generator sorts
 *       them by JSON path).
 * </ul>
 *
 * A path that does not exist in the schema fails the build: renaming a field must not silently drop
 * its list type.
 */
final class CrdPostProcessing implements CRDPostProcessor {

  /** One list field, by its path from the schema root. */
  record ListType(String path, String type, List<String> mapKeys) {
    static ListType set(String path) {
      return new ListType(path, "set", List.of());
    }

    static ListType map(String path, String... keys) {
      return new ListType(path, "map", List.of(keys));
    }
  }

  /** Condition fields every entry has (metav1.Condition requires these two at least). */
  private static final List<String> CONDITION_REQUIRED = List.of("type", "status");

  private final Class<?> resourceClass;
  private final List<ListType> listTypes;

  CrdPostProcessing(Class<?> resourceClass, List<ListType> listTypes) {
    this.resourceClass = resourceClass;
    this.listTypes = List.copyOf(listTypes);
  }

  @Override
  public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
    if (!"v1".equals(crdSpecVersion)) {
      throw new IllegalStateException(
          "only apiextensions.k8s.io/v1 CRDs are generated, got " + crdSpecVersion);
    }
    for (CustomResourceDefinitionVersion version :
        ((CustomResourceDefinition) crd).getSpec().getVersions()) {
      JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
      for (ListType list : listTypes) {
        apply(root, list);
      }
      requireAll(at(root, "status.conditions").getItems().getSchema(), CONDITION_REQUIRED);
      version.setAdditionalPrinterColumns(inDeclaredOrder(version.getAdditionalPrinterColumns()));
    }
    return crd;
  }

  private static void apply(JSONSchemaProps root, ListType list) {
    JSONSchemaProps field = at(root, list.path());
    if (!"array".equals(field.getType())) {
      throw new IllegalStateException(list.path() + " is a " + field.getType() + ", not an array");
    }
    field.setXKubernetesListType(list.type());
    if (!list.mapKeys().isEmpty()) {
      field.setXKubernetesListMapKeys(list.mapKeys());
      JSONSchemaProps item = field.getItems().getSchema();
      for (String key : list.mapKeys()) {
        if (item.getProperties() == null || !item.getProperties().containsKey(key)) {
          throw new IllegalStateException(
              list.path() + " items have no property '" + key + "' to key the map");
        }
      }
      requireAll(item, list.mapKeys());
    }
  }

  private static JSONSchemaProps at(JSONSchemaProps root, String path) {
    JSONSchemaProps node = root;
    for (String name : path.split("\\.")) {
      Map<String, JSONSchemaProps> properties = node.getProperties();
      node = properties == null ? null : properties.get(name);
      if (node == null) {
        throw new IllegalStateException("no field " + path + " in the generated schema (renamed?)");
      }
    }
    return node;
  }

  private static void requireAll(JSONSchemaProps object, List<String> names) {
    List<String> required =
        new ArrayList<>(Objects.requireNonNullElse(object.getRequired(), List.of()));
    names.stream().filter(n -> !required.contains(n)).forEach(required::add);
    required.sort(Comparator.naturalOrder());
    object.setRequired(required);
  }

  private List<CustomResourceColumnDefinition> inDeclaredOrder(
      List<CustomResourceColumnDefinition> columns) {
    List<String> declared =
        Arrays.stream(resourceClass.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name)
            .toList();
    List<CustomResourceColumnDefinition> sorted = new ArrayList<>(columns);
    sorted.sort(
        Comparator.comparingInt(
            c -> {
              int i = declared.indexOf(c.getName());
              return i < 0 ? Integer.MAX_VALUE : i;
            }));
    return sorted;
  }
}
