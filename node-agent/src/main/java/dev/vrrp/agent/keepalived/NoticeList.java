package dev.vrrp.agent.keepalived;

import dev.vrrp.agent.keepalived.Notice.Severity;
import java.util.ArrayList;
import java.util.List;

/** The notices of one import, in the order they were found. */
final class NoticeList {
  private final List<Notice> notices = new ArrayList<>();

  void add(Notice notice) {
    notices.add(notice);
  }

  void info(Word keyword, String message) {
    notices.add(new Notice(keyword.at(), Severity.INFO, keyword.text(), message));
  }

  void warning(Word keyword, String message) {
    notices.add(new Notice(keyword.at(), Severity.WARNING, keyword.text(), message));
  }

  void error(Word keyword, String message) {
    notices.add(new Notice(keyword.at(), Severity.ERROR, keyword.text(), message));
  }

  void info(Statement statement, String message) {
    info(statement.words().get(0), message);
  }

  void warning(Statement statement, String message) {
    warning(statement.words().get(0), message);
  }

  void error(Statement statement, String message) {
    error(statement.words().get(0), message);
  }

  /**
   * keepalived's parameters ({@code $NAME=...}) and conditional lines ({@code @host ...}) change
   * what the other lines say; the import does not expand them.
   */
  boolean unexpanded(Statement s) {
    String keyword = s.keyword();
    if (keyword.startsWith("$") || keyword.startsWith("@")) {
      error(
          s, "not converted: parameters and conditional lines are not expanded; expand them first");
      return true;
    }
    return false;
  }

  List<Notice> list() {
    return List.copyOf(notices);
  }
}
