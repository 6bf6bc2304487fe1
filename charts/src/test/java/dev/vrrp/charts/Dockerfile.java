package dev.vrrp.charts;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of a Dockerfile reader for the checks: stages, FROM, WORKDIR, COPY, RUN, USER,
 * EXPOSE, CMD.
 */
record Dockerfile(Path path, List<String> header, List<Instruction> instructions) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern BUILD_TAG = Pattern.compile("docker build .*-t (\\S+)");

  /** One instruction, continuation lines joined; {@code stage} is the index of its FROM. */
  record Instruction(int stage, String keyword, String arguments) {}

  /** {@code COPY [--from=stage] source... destination}. */
  record Copy(String from, List<String> sources, String destination) {}

  static Dockerfile read(Path path) {
    List<String> lines;
    try {
      lines = Files.readAllLines(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> header = new ArrayList<>();
    List<Instruction> instructions = new ArrayList<>();
    int stage = -1;
    StringBuilder current = new StringBuilder();
    for (String line : lines) {
      String trimmed = line.strip();
      if (instructions.isEmpty() && current.isEmpty() && trimmed.startsWith("#")) {
        header.add(trimmed);
        continue;
      }
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      String text = current.toString();
      current.setLength(0);
      int space = text.indexOf(' ');
      String keyword = text.substring(0, space).toUpperCase(Locale.ROOT);
      if (keyword.equals("FROM")) {
        stage++;
      }
      instructions.add(new Instruction(stage, keyword, text.substring(space + 1).strip()));
    }
    return new Dockerfile(path, List.copyOf(header), List.copyOf(instructions));
  }

  List<Instruction> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  /** The image of each FROM, without {@code AS name}. */
  List<String> baseImages() {
    return all("FROM").stream().map(i -> i.arguments().split("\\s+")[0]).toList();
  }

  int finalStage() {
    return all("FROM").size() - 1;
  }

  /** The stage named in {@code FROM image AS name}. */
  int stage(String name) {
    List<Instruction> froms = all("FROM");
    for (int i = 0; i < froms.size(); i++) {
      String[] parts = froms.get(i).arguments().split("\\s+");
      if (parts.length == 3 && parts[1].equalsIgnoreCase("AS") && parts[2].equals(name)) {
        return i;
      }
    }
    throw new AssertionError(path + ": no stage " + name);
  }

  List<Instruction> in(int stage, String keyword) {
    return all(keyword).stream().filter(i -> i.stage() == stage).toList();
  }

  String workdir(int stage) {
    List<Instruction> workdirs = in(stage, "WORKDIR");
    return workdirs.isEmpty() ? "/" : workdirs.get(workdirs.size() - 1).arguments();
  }

  List<Copy> copies(int stage) {
    List<Copy> copies = new ArrayList<>();
    for (Instruction copy : in(stage, "COPY")) {
      List<String> words = new ArrayList<>(Arrays.asList(copy.arguments().split("\\s+")));
      String from = null;
      while (words.get(0).startsWith("--")) {
        String flag = words.remove(0);
        if (flag.startsWith("--from=")) {
          from = flag.substring("--from=".length());
        }
      }
      String destination = words.remove(words.size() - 1);
      copies.add(new Copy(from, List.copyOf(words), destination));
    }
    return copies;
  }

  /** CMD or ENTRYPOINT of the final stage in exec (JSON) form. */
  Optional<List<String>> exec(String keyword) {
    List<Instruction> found = in(finalStage(), keyword);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    String json = found.get(found.size() - 1).arguments();
    try {
      return Optional.of(JSON.readValue(json, new TypeReference<List<String>>() {}));
    } catch (IOException e) {
      throw new AssertionError(path + ": " + keyword + " is not in exec form: " + json, e);
    }
  }

  /** The image the header's {@code docker build ... -t image .} line builds. */
  Optional<String> documentedTag() {
    for (String line : header) {
      Matcher m = BUILD_TAG.matcher(line);
      if (m.find()) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }
}
