package dev.vrrp.agent.keepalived;

import java.util.ArrayList;
import java.util.List;

/**
 * A vrrp_script's {@code script} as the argv keepalived runs: keepalived does not start a shell, it
 * splits the string at white space, quotes keeping words together. So the converted check gets the
 * same argv, not {@code /bin/sh -c}, and a script that relied on a shell did not work in keepalived
 * either.
 */
final class ScriptCommand {
  private ScriptCommand() {}

  static List<String> argv(List<Word> words) {
    if (words.size() != 1) {
      return words.stream().map(Word::text).toList();
    }
    String text = words.get(0).text();
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          current.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          out.add(current.toString());
          current.setLength(0);
          inWord = false;
        }
      } else {
        current.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      out.add(current.toString());
    }
    return out;
  }
}
