package dev.vrrp.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Prints the tail of every process log of a test when it did not finish, so CI shows why. */
final class LogsOnFailure implements AutoCloseable {
  private final Path dir;
  private boolean passed;

  LogsOnFailure(Path dir) {
    this.dir = dir;
  }

  void passed() {
    passed = true;
  }

  @Override
  public void close() throws IOException {
    if (passed) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path log : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
        List<String> lines =
            Files.readAllLines(log).stream()
                .filter(
                    l -> !l.startsWith("\tat ") && !l.startsWith("\t... ") && !l.contains("pcap4j"))
                .toList();
        System.out.println("==== " + log.getFileName() + " (last 40 lines) ====");
        lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.out::println);
      }
    }
  }
}
