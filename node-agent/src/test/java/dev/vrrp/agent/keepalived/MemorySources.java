package dev.vrrp.agent.keepalived;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Files in memory, for the parser's tests. */
final class MemorySources implements Sources {
  private final Map<Path, String> files = new LinkedHashMap<>();

  MemorySources file(String path, String text) {
    files.put(Path.of(path), text);
    return this;
  }

  @Override
  public String read(Path file) throws IOException {
    String text = files.get(file.normalize());
    if (text == null) {
      throw new NoSuchFileException(file.toString());
    }
    return text;
  }

  @Override
  public List<Path> glob(Path pattern) {
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.normalize());
    return files.keySet().stream().filter(matcher::matches).sorted().toList();
  }
}
