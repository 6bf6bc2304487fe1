package dev.vrrp.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints the end of every {@code *.log} in a failed test's {@link TempDir} fields: the agents' and
 * keepalived's own words are the only record of why a run on a CI machine went wrong, and the
 * directory is deleted right after. Runs before {@code @AfterEach} and the directory's cleanup.
 */
public final class LogsOnFailure implements AfterTestExecutionCallback {
  private static final int LAST_LINES = 200;

  @Override
  public void afterTestExecution(ExtensionContext context) {
    if (context.getExecutionException().isEmpty()) {
      return;
    }
    Object test = context.getRequiredTestInstance();
    for (Class<?> c = test.getClass(); c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (field.isAnnotationPresent(TempDir.class) && field.getType() == Path.class) {
          print(context.getDisplayName(), read(field, test));
        }
      }
    }
  }

  private static Path read(Field field, Object test) {
    try {
      field.setAccessible(true);
      return (Path) field.get(test);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void print(String test, Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path log : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        // stack frames and pcap4j's chatter push the lines that say why out of view
        List<String> lines =
            Files.readAllLines(log).stream()
                .filter(
                    l -> !l.startsWith("\tat ") && !l.startsWith("\t... ") && !l.contains("pcap4j"))
                .toList();
        System.out.printf(
            "----- %s failed: last %d of %d lines of %s -----%n",
            test, Math.min(LAST_LINES, lines.size()), lines.size(), dir.relativize(log));
        lines
            .subList(Math.max(0, lines.size() - LAST_LINES), lines.size())
            .forEach(System.out::println);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
