package dev.vrrp.agent.health;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * keepalived's track_file: the file holds a number, written by someone else (a maintenance script,
 * a deploy tool). The value counts as it is read: with weight 0 anything but 0 is failing, else the
 * value times the weight is added to the priority ({@link VerdictFold}). A missing, unreadable or
 * non-numeric file is failing, without a value.
 */
final class FileProbe implements Probe {
  /** More than any number needs: a file that is larger is not one we should read whole. */
  private static final int MAX_BYTES = 64;

  /** Bounds the product with any weight well inside an int. */
  static final long LIMIT = 1_000_000;

  private final Path file;

  FileProbe(Path file) {
    this.file = file;
  }

  @Override
  public ProbeResult probe() {
    String text;
    try (InputStream in = Files.newInputStream(file)) {
      text = new String(in.readNBytes(MAX_BYTES), StandardCharsets.US_ASCII).strip();
    } catch (NoSuchFileException e) {
      return ProbeResult.failed(file + " does not exist");
    } catch (IOException e) {
      return ProbeResult.failed("cannot read " + file + ": " + e.getMessage());
    }
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      return ProbeResult.failed(file + " holds no number: '" + text + "'");
    }
    long bounded = Math.max(-LIMIT, Math.min(LIMIT, value));
    return ProbeResult.measured(bounded, file + " holds " + value);
  }
}
