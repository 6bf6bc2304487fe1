package dev.vrrp.agent.keepalived;

import dev.vrrp.agent.keepalived.Lexer.Token;
import dev.vrrp.agent.keepalived.Notice.Severity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * keepalived.conf to statements. A statement is one line; a block opens with {@code {} at the end
 * of that line or on the next one and may close on any line, items written after a brace on the
 * same line being statements of their own ({@code track_script { chk }}). {@code include} and its
 * variants are replaced by the statements of the files they name, relative to the including file's
 * directory, as keepalived does.
 */
public final class ConfigParser {
  private static final Set<String> INCLUDES =
      Set.of("include", "includer", "includem", "includew", "includeb", "includea");

  /** keepalived's own limit on nested includes is deeper; this only stops runaway recursion. */
  private static final int MAX_INCLUDE_DEPTH = 16;

  /**
   * The statements of a file and what the parser noticed on the way (includes that name nothing).
   */
  public record Parsed(List<Statement> statements, List<Notice> notices) {}

  private final Sources sources;
  private final Path mainDirectory;
  private final List<Notice> notices = new ArrayList<>();
  private final Deque<Path> including = new ArrayDeque<>();

  private ConfigParser(Sources sources, Path mainDirectory) {
    this.sources = sources;
    this.mainDirectory = mainDirectory;
  }

  /**
   * @throws IOException when the main file cannot be read
   */
  public static Parsed parse(Path file, Sources sources)
      throws IOException, KeepalivedSyntaxException {
    Path main = file.toAbsolutePath().normalize();
    ConfigParser parser = new ConfigParser(sources, main.getParent());
    List<Statement> statements = parser.file(main, sources.read(main));
    return new Parsed(statements, List.copyOf(parser.notices));
  }

  private List<Statement> file(Path path, String text) throws KeepalivedSyntaxException {
    including.push(path);
    try {
      // an editor's byte order mark would otherwise be part of the first keyword
      String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
      Cursor cursor = new Cursor(Lexer.tokens(body, displayName(path)));
      return block(cursor, path, null, null);
    } finally {
      including.pop();
    }
  }

  /**
   * The statements up to the brace that closes {@code opened} (the block of {@code owner}), or to
   * the end of the file when it is null.
   */
  private List<Statement> block(Cursor cursor, Path path, Word owner, Word opened)
      throws KeepalivedSyntaxException {
    List<Statement> statements = new ArrayList<>();
    List<Word> line = new ArrayList<>();
    // a statement may still receive the block that opens on the next line
    boolean lastMayOpen = false;
    while (true) {
      Token token = cursor.next();
      if (token == null) {
        end(statements, line, path);
        if (opened != null) {
          throw new KeepalivedSyntaxException(
              opened.at(), "the '{' of " + owner.text() + " is never closed");
        }
        return statements;
      }
      switch (token.kind()) {
        case WORD -> line.add(token.word());
        case END_OF_LINE -> {
          if (!line.isEmpty()) {
            end(statements, line, path);
            lastMayOpen = true;
          }
        }
        case OPEN -> {
          Statement opener;
          if (!line.isEmpty()) {
            opener = new Statement(line, null);
            line = new ArrayList<>();
          } else if (lastMayOpen && statements.get(statements.size() - 1).block() == null) {
            opener = statements.remove(statements.size() - 1);
          } else {
            throw new KeepalivedSyntaxException(
                token.word().at(), "'{' without a keyword before it");
          }
          statements.add(
              opener.withBlock(block(cursor, path, opener.words().get(0), token.word())));
          lastMayOpen = false;
        }
        case CLOSE -> {
          if (opened == null) {
            throw new KeepalivedSyntaxException(
                token.word().at(), "'}' without a '{' that it closes");
          }
          end(statements, line, path);
          return statements;
        }
      }
    }
  }

  /** Ends the statement of {@code line}, if any: added, or replaced by what it includes. */
  private void end(List<Statement> statements, List<Word> line, Path path)
      throws KeepalivedSyntaxException {
    if (line.isEmpty()) {
      return;
    }
    Statement statement = new Statement(line, null);
    line.clear();
    if (INCLUDES.contains(statement.keyword())) {
      statements.addAll(include(statement, path));
    } else {
      statements.add(statement);
    }
  }

  private List<Statement> include(Statement statement, Path from) throws KeepalivedSyntaxException {
    if (statement.args().size() != 1) {
      throw new KeepalivedSyntaxException(
          statement.at(), statement.keyword() + " needs exactly one file name or pattern");
    }
    if (including.size() >= MAX_INCLUDE_DEPTH) {
      throw new KeepalivedSyntaxException(
          statement.at(), "includes nest deeper than " + MAX_INCLUDE_DEPTH + " files");
    }
    Path pattern = from.getParent().resolve(statement.arg(0));
    List<Path> files;
    try {
      files = sources.glob(pattern);
    } catch (IOException e) {
      throw new KeepalivedSyntaxException(
          statement.args().get(0).at(), "cannot list " + pattern + ": " + e.getMessage());
    }
    if (files.isEmpty()) {
      notices.add(
          new Notice(
              statement.at(),
              Severity.WARNING,
              statement.keyword(),
              statement.arg(0) + " names no file; keepalived skips it too"));
    }
    List<Statement> out = new ArrayList<>();
    for (Path file : files) {
      Path normalized = file.toAbsolutePath().normalize();
      if (including.contains(normalized)) {
        throw new KeepalivedSyntaxException(
            statement.at(), "include cycle: " + displayName(normalized) + " includes itself");
      }
      String text;
      try {
        text = sources.read(normalized);
      } catch (IOException e) {
        throw new KeepalivedSyntaxException(
            statement.args().get(0).at(),
            "cannot read " + displayName(normalized) + ": " + e.getMessage());
      }
      out.addAll(file(normalized, text));
    }
    return out;
  }

  private String displayName(Path path) {
    return path.startsWith(mainDirectory)
        ? mainDirectory.relativize(path).toString()
        : path.toString();
  }

  private static final class Cursor {
    private final List<Token> tokens;
    private int next;

    Cursor(List<Token> tokens) {
      this.tokens = tokens;
    }

    Token next() {
      return next < tokens.size() ? tokens.get(next++) : null;
    }
  }
}
