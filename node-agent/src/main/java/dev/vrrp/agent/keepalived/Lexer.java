package dev.vrrp.agent.keepalived;

import java.util.ArrayList;
import java.util.List;

/**
 * keepalived.conf's words: separated by white space, {@code #} or {@code !} start a comment
 * anywhere outside quotes, double quotes make one word of a script with its arguments, and braces
 * are words of their own even when written against another word ({@code VI_1{}).
 */
final class Lexer {
  enum Kind {
    WORD,
    OPEN,
    CLOSE,
    END_OF_LINE
  }

  record Token(Kind kind, Word word) {}

  private final String text;
  private final String file;
  private final List<Token> tokens = new ArrayList<>();
  private int line = 1;
  private int lineStart;

  private Lexer(String text, String file) {
    this.text = text;
    this.file = file;
  }

  static List<Token> tokens(String text, String file) throws KeepalivedSyntaxException {
    Lexer lexer = new Lexer(text, file);
    lexer.run();
    return lexer.tokens;
  }

  private void run() throws KeepalivedSyntaxException {
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\n') {
        tokens.add(new Token(Kind.END_OF_LINE, new Word("\n", false, at(i))));
        line++;
        lineStart = i + 1;
        i++;
      } else if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#' || c == '!') {
        while (i < text.length() && text.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '{' || c == '}') {
        tokens.add(
            new Token(
                c == '{' ? Kind.OPEN : Kind.CLOSE, new Word(String.valueOf(c), false, at(i))));
        i++;
      } else if (c == '"') {
        int end = text.indexOf('"', i + 1);
        int endOfLine = text.indexOf('\n', i + 1);
        if (end < 0 || (endOfLine >= 0 && endOfLine < end)) {
          throw new KeepalivedSyntaxException(at(i), "the quoted string is not closed on its line");
        }
        tokens.add(new Token(Kind.WORD, new Word(text.substring(i + 1, end), true, at(i))));
        i = end + 1;
      } else {
        int start = i;
        while (i < text.length() && !endsWord(text.charAt(i))) {
          i++;
        }
        tokens.add(new Token(Kind.WORD, new Word(text.substring(start, i), false, at(start))));
      }
    }
    tokens.add(new Token(Kind.END_OF_LINE, new Word("\n", false, at(text.length()))));
  }

  private static boolean endsWord(char c) {
    return Character.isWhitespace(c) || c == '{' || c == '}' || c == '"' || c == '#' || c == '!';
  }

  private Location at(int index) {
    return new Location(file, line, index - lineStart + 1);
  }
}
