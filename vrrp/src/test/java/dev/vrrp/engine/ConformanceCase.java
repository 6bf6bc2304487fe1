package dev.vrrp.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One case of the conformance data: configuration, then steps of an event and its expected actions.
 */
record ConformanceCase(
    String name, String rfc, Map<String, String> config, List<Step> steps, int line) {

  /**
   * An event line with the action lines after it, or a check on the instance ("= state MASTER").
   */
  record Step(String event, List<String> expectedActions, String check, int line) {}

  static List<ConformanceCase> parse(List<String> lines) {
    List<ConformanceCase> cases = new ArrayList<>();
    Builder current = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      int lineNo = i + 1;
      if (line.isEmpty() || line.startsWith("#") && !line.startsWith("## ")) {
        continue;
      }
      if (line.startsWith("## ")) {
        if (current != null) {
          cases.add(current.build());
        }
        current = new Builder(line.substring(3).strip(), lineNo);
        continue;
      }
      if (current == null) {
        throw new IllegalArgumentException("line " + lineNo + ": content before the first case");
      }
      if (line.startsWith("rfc ")) {
        current.rfc = line.substring(4).strip();
      } else if (line.startsWith("config ")) {
        for (String pair : line.substring(7).strip().split("\\s+")) {
          String[] kv = pair.split("=", 2);
          current.config.put(kv[0], kv[1]);
        }
      } else if (line.startsWith("> ")) {
        current.steps.add(new Step(line.substring(2).strip(), new ArrayList<>(), null, lineNo));
      } else if (line.startsWith("< ")) {
        if (current.steps.isEmpty()
            || current.steps.get(current.steps.size() - 1).event() == null) {
          throw new IllegalArgumentException(
              "line " + lineNo + ": action without an event before it");
        }
        current
            .steps
            .get(current.steps.size() - 1)
            .expectedActions()
            .add(line.substring(2).strip());
      } else if (line.startsWith("= ")) {
        current.steps.add(new Step(null, List.of(), line.substring(2).strip(), lineNo));
      } else {
        throw new IllegalArgumentException("line " + lineNo + ": cannot read '" + line + "'");
      }
    }
    if (current != null) {
      cases.add(current.build());
    }
    return cases;
  }

  private static final class Builder {
    final String name;
    final int line;
    String rfc;
    final Map<String, String> config = new LinkedHashMap<>();
    final List<Step> steps = new ArrayList<>();

    Builder(String name, int line) {
      this.name = name;
      this.line = line;
    }

    ConformanceCase build() {
      if (rfc == null) {
        throw new IllegalArgumentException(
            "case '" + name + "' (line " + line + ") names no RFC section");
      }
      return new ConformanceCase(name, rfc, config, steps, line);
    }
  }
}
