package dev.vrrp.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.yaml is documented, values.schema.json is closed and typed, and Helm enforces it. */
class ChartValuesTest {
  private static final Pattern KEY = Pattern.compile("^(\\s*)([A-Za-z][\\w.-]*):(.*)$");

  /** The only open objects: label / annotation maps (string to string). */
  private static final List<String> MAPS =
      List.of(
          "operator.nodeSelector",
          "operator.podAnnotations",
          "monitoring.serviceMonitor.labels",
          "monitoring.podMonitor.labels",
          "monitoring.rules.labels");

  @Test
  void everyKeyInValuesYamlHasACommentAbove() throws IOException {
    List<String> lines = Files.readAllLines(Repo.chart().resolve("values.yaml"));
    List<String> undocumented = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher key = KEY.matcher(lines.get(i));
      if (!key.matches()) {
        continue;
      }
      String above = i == 0 ? "" : lines.get(i - 1);
      boolean commented =
          above.stripLeading().startsWith("#") && indent(above) == key.group(1).length();
      if (!commented) {
        undocumented.add((i + 1) + ": " + lines.get(i).strip());
      }
    }
    assertThat(undocumented)
        .as("keys without a comment line directly above, at their indentation")
        .isEmpty();
  }

  @Test
  void schemaIsClosedAtEveryObjectAndTypesEveryValue() {
    JsonNode schema = schema();
    List<String> problems = new ArrayList<>();
    walk(schema, schema, "", problems);
    assertThat(problems).isEmpty();
  }

  @Test
  void schemaAndValuesHaveTheSameKeys() {
    JsonNode schema = schema();
    List<String> problems = new ArrayList<>();
    compare(schema, schema, Chart.values(), "", problems);
    assertThat(problems).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "replicas: 3                          | (root): Additional property replicas is not allowed",
        "operator: {replica: 3}               | operator: Additional property replica is not allowed",
        "agent: {image: {pullPolicy: Always}} | agent.image: Additional property pullPolicy is not allowed",
        "metrics: {serviceMonitor: true}      | metrics: Additional property serviceMonitor is not allowed",
        "operator: {resources: {requests: {gpu: 1}}} | operator.resources.requests: Additional property gpu is not allowed",
      })
  void unknownKeysAreRejected(String values, String message) {
    assertThatThrownBy(() -> Chart.template(Chart.NAMESPACE, values))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "operator: {replicas: two}          | operator.replicas: Invalid type. Expected: integer, given: string",
        "operator: {replicas: 0}            | operator.replicas: Must be greater than or equal to 1",
        "operator: {logLevel: verbose}      | operator.logLevel: operator.logLevel must be one of the following",
        "operator: {image: {pullPolicy: Sometimes}} | operator.image.pullPolicy: operator.image.pullPolicy must be one of",
        "agent: {heartbeat: 10 seconds}     | agent.heartbeat: Does not match pattern",
        "operator: {virtualRouterIds: 1-255-3} | operator.virtualRouterIds: Does not match pattern",
        "operator: {virtualRouterIds: 256}  | operator.virtualRouterIds: Must be less than or equal to 255",
        "metrics: {enabled: 'yes'}          | metrics.enabled: Invalid type. Expected: boolean, given: string",
        "metrics: {port: 70000}             | metrics.port: Must be less than or equal to 65535",
        "operator: {resources: {limits: {memory: lots}}} | operator.resources.limits.memory: Does not match pattern",
        "operator: {nodeSelector: {zone: 1}} | operator.nodeSelector.zone: Invalid type. Expected: string, given: integer",
      })
  void wronglyTypedValuesAreRejected(String values, String message) {
    assertThatThrownBy(() -> Chart.template(Chart.NAMESPACE, values))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(message);
  }

  private static JsonNode schema() {
    try {
      return new ObjectMapper().readTree(Repo.chart().resolve("values.schema.json").toFile());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode resolve(JsonNode root, JsonNode node) {
    while (node.has("$ref")) {
      String ref = node.get("$ref").asText();
      JsonNode target = root.at(ref.substring(1));
      assertThat(target.isMissingNode()).as("$ref %s resolves", ref).isFalse();
      node = target;
    }
    return node;
  }

  private static void walk(JsonNode root, JsonNode node, String path, List<String> problems) {
    node = resolve(root, node);
    if (!node.has("type") && !node.has("enum")) {
      problems.add(path + ": no type");
      return;
    }
    JsonNode type = node.get("type");
    if (type != null && type.asText().equals("object")) {
      JsonNode additional = node.get("additionalProperties");
      if (MAPS.contains(path)) {
        if (additional == null
            || !additional.isObject()
            || !resolve(root, additional).has("type")) {
          problems.add(path + ": a map must type its values (additionalProperties: {type: ...})");
        }
      } else if (additional == null || !additional.isBoolean() || additional.asBoolean()) {
        problems.add(path + ": additionalProperties must be false");
      }
      if (node.has("properties")) {
        for (Map.Entry<String, JsonNode> property : node.get("properties").properties()) {
          walk(
              root,
              property.getValue(),
              path.isEmpty() ? property.getKey() : path + "." + property.getKey(),
              problems);
        }
      } else if (!MAPS.contains(path)) {
        problems.add(path + ": an object without properties");
      }
    }
    if (type != null && type.asText().equals("array")) {
      if (!node.has("items")) {
        problems.add(path + ": an array without items");
      } else {
        walk(root, node.get("items"), path + "[]", problems);
      }
    }
  }

  /**
   * Every key of values.yaml is in the schema, and every property the schema requires is in
   * values.yaml.
   */
  private static void compare(
      JsonNode root, JsonNode schema, JsonNode values, String path, List<String> problems) {
    schema = resolve(root, schema);
    if (!values.isObject() || MAPS.contains(path)) {
      return;
    }
    JsonNode properties = schema.path("properties");
    for (Map.Entry<String, JsonNode> entry : values.properties()) {
      String key = entry.getKey();
      String child = path.isEmpty() ? key : path + "." + key;
      if (!properties.has(key)) {
        problems.add(child + ": in values.yaml, not in the schema");
      } else {
        compare(root, properties.get(key), values.get(key), child, problems);
      }
    }
    for (JsonNode required : schema.path("required")) {
      if (!values.has(required.asText())) {
        problems.add(
            (path.isEmpty() ? "" : path + ".")
                + required.asText()
                + ": required, not in values.yaml");
      }
    }
  }

  private static int indent(String line) {
    return line.length() - line.stripLeading().length();
  }
}
