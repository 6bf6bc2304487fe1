package dev.vrrp.agent.keepalived;

import dev.vrrp.agent.keepalived.Notice.Severity;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** keepalived.conf in, our configuration out: parse, convert, write, check. */
public final class Importer {
  /** What to write. */
  public enum Target {
    /** The standalone config of {@code node-agent run --config}. */
    STANDALONE,
    /** VirtualIP manifests (and a Secret per password). */
    VIRTUALIP
  }

  /** The chart's namespace in the docs and examples, where the agents may read Secrets. */
  public static final String DEFAULT_SECRET_NAMESPACE = "vrrp-system";

  private Importer() {}

  public static ImportResult run(
      Path file, Target target, String secretNamespace, Sources sources) {
    ConfigParser.Parsed parsed;
    try {
      parsed = ConfigParser.parse(file, sources);
    } catch (IOException e) {
      String why = e instanceof NoSuchFileException ? "no such file" : e.getMessage();
      return new ImportResult("", List.of(file + ": error: cannot read: " + why), 2);
    } catch (KeepalivedSyntaxException e) {
      return new ImportResult("", List.of(e.at() + ": error: " + messageOf(e)), 2);
    }
    Conversion conversion = KeepalivedConverter.convert(parsed.statements());
    Location top = new Location(file.getFileName().toString(), 1, 1);
    Written written =
        target == Target.STANDALONE
            ? StandaloneWriter.write(conversion, top)
            : VirtualIpWriter.write(conversion, secretNamespace, top);
    List<Notice> notices = new ArrayList<>(parsed.notices());
    notices.addAll(conversion.notices());
    notices.addAll(written.notices());
    List<Notice> ordered = inFileOrder(notices);
    boolean failed = ordered.stream().anyMatch(n -> n.severity() == Severity.ERROR);
    return new ImportResult(
        written.text(), ordered.stream().map(Notice::toString).toList(), failed ? 1 : 0);
  }

  private static String messageOf(KeepalivedSyntaxException e) {
    String prefix = e.at() + ": ";
    return e.getMessage().startsWith(prefix)
        ? e.getMessage().substring(prefix.length())
        : e.getMessage();
  }

  /**
   * Once each (a global default is reported for every instance that uses it), sorted by line within
   * each file, files in the order they first appear, so that the notices a writer adds late still
   * stand beside their line.
   */
  private static List<Notice> inFileOrder(List<Notice> notices) {
    Map<String, List<Notice>> byFile = new LinkedHashMap<>();
    for (Notice notice : notices.stream().distinct().toList()) {
      byFile.computeIfAbsent(notice.at().file(), f -> new ArrayList<>()).add(notice);
    }
    List<Notice> out = new ArrayList<>();
    for (List<Notice> inFile : byFile.values()) {
      inFile.sort(Comparator.comparingInt((Notice n) -> n.at().line()));
      out.addAll(inFile);
    }
    return out;
  }
}
