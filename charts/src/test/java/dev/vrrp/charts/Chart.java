package dev.vrrp.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** The chart in charts/vrrp-operator, rendered with helm-java (Helm as a library, no CLI). */
final class Chart {
  static final String RELEASE = "vrrp";
  static final String NAMESPACE = "vrrp-system";
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

  private Chart() {}

  static Helm helm() {
    return new Helm(Repo.chart());
  }

  /** {@code helm template} with the chart's defaults plus {@code valuesYaml} (may be empty). */
  static String template(String namespace, String valuesYaml) {
    TemplateCommand template = helm().template().withName(RELEASE).withNamespace(namespace);
    if (valuesYaml != null && !valuesYaml.isBlank()) {
      template = template.withValuesFile(valuesFile(valuesYaml));
    }
    return template.call();
  }

  /** The rendered objects, typed (Deployment, ClusterRole, ...), in the order Helm printed them. */
  static List<HasMetadata> render(String valuesYaml) {
    return parse(template(NAMESPACE, valuesYaml));
  }

  static List<HasMetadata> parse(String manifests) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : DOCUMENT_SEPARATOR.split(manifests)) {
      boolean empty =
          document.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"));
      if (!empty) {
        objects.add(SERIALIZATION.unmarshal(document));
      }
    }
    return objects;
  }

  static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type, String name) {
    List<T> found =
        objects.stream()
            .filter(type::isInstance)
            .map(type::cast)
            .filter(o -> name.equals(o.getMetadata().getName()))
            .toList();
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one " + type.getSimpleName() + " " + name + ", found " + found.size());
    }
    return found.get(0);
  }

  static <T extends HasMetadata> T one(
      List<HasMetadata> objects, Class<T> type, String namespace, String name) {
    return objects.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .filter(
            o ->
                name.equals(o.getMetadata().getName())
                    && namespace.equals(o.getMetadata().getNamespace()))
        .reduce(
            (a, b) -> {
              throw new AssertionError(
                  "two " + type.getSimpleName() + " " + namespace + "/" + name);
            })
        .orElseThrow(
            () -> new AssertionError("no " + type.getSimpleName() + " " + namespace + "/" + name));
  }

  /** values.yaml as a tree. */
  static JsonNode values() {
    return read(Repo.chart().resolve("values.yaml"));
  }

  static JsonNode chartYaml() {
    return read(Repo.chart().resolve("Chart.yaml"));
  }

  static JsonNode read(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path valuesFile(String valuesYaml) {
    try {
      Path file = Files.createTempFile("vrrp-chart-values-", ".yaml");
      file.toFile().deleteOnExit();
      return Files.writeString(file, valuesYaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A PolicyRule as a comparable value: absent lists are empty. */
  record Rule(
      List<String> apiGroups,
      List<String> resources,
      List<String> resourceNames,
      List<String> verbs) {
    static Rule of(PolicyRule rule) {
      return new Rule(
          list(rule.getApiGroups()),
          list(rule.getResources()),
          list(rule.getResourceNames()),
          list(rule.getVerbs()));
    }

    static Rule rule(String apiGroup, String resource, String... verbs) {
      return new Rule(List.of(apiGroup), List.of(resource), List.of(), List.of(verbs));
    }

    Rule named(String... names) {
      return new Rule(apiGroups, resources, List.of(names), verbs);
    }

    private static List<String> list(List<String> list) {
      return list == null ? List.of() : List.copyOf(list);
    }
  }

  static List<Rule> rules(List<PolicyRule> rules) {
    return Objects.requireNonNullElse(rules, List.<PolicyRule>of()).stream().map(Rule::of).toList();
  }
}
