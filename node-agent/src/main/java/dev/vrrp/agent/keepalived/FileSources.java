package dev.vrrp.agent.keepalived;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

/** {@link Sources} on the file system. */
public final class FileSources implements Sources {
  private static final String GLOB_CHARACTERS = "*?[{";

  @Override
  public String read(Path file) throws IOException {
    return Files.readString(file);
  }

  @Override
  public List<Path> glob(Path pattern) throws IOException {
    Path absolute = pattern.toAbsolutePath().normalize();
    int first = firstWildcardPart(absolute);
    if (first < 0) {
      return Files.isRegularFile(absolute) ? List.of(absolute) : List.of();
    }
    // walk only from the last directory without wildcards, as deep as the pattern reaches
    Path base = absolute.getRoot().resolve(first == 0 ? "" : absolute.subpath(0, first).toString());
    if (!Files.isDirectory(base)) {
      return List.of();
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + absolute);
    int depth = absolute.getNameCount() - first;
    try (Stream<Path> walk = Files.walk(base, depth)) {
      return walk.filter(p -> p.getNameCount() == absolute.getNameCount())
          .filter(matcher::matches)
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
    }
  }

  private static int firstWildcardPart(Path path) {
    for (int i = 0; i < path.getNameCount(); i++) {
      String part = path.getName(i).toString();
      if (part.chars().anyMatch(c -> GLOB_CHARACTERS.indexOf(c) >= 0)) {
        return i;
      }
    }
    return -1;
  }
}
