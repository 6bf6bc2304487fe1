package dev.vrrp.agent.keepalived;

import java.util.List;

/**
 * One line of keepalived.conf: a keyword, its arguments, and the block that follows it, if any.
 * keepalived reads one keyword per line; the items of a list block ({@code virtual_ipaddress},
 * {@code unicast_peer}, ...) are statements too, the item being the keyword.
 *
 * @param block null when no {@code { ... }} follows
 */
public record Statement(List<Word> words, List<Statement> block) {
  public Statement {
    words = List.copyOf(words);
    block = block == null ? null : List.copyOf(block);
  }

  public String keyword() {
    return words.get(0).text();
  }

  public Location at() {
    return words.get(0).at();
  }

  /** The words after the keyword. */
  public List<Word> args() {
    return words.subList(1, words.size());
  }

  /** The argument at {@code index} (0 = the first after the keyword), or null. */
  public String arg(int index) {
    return index + 1 < words.size() ? words.get(index + 1).text() : null;
  }

  /** The block's statements, or an empty list when there is no block. */
  public List<Statement> children() {
    return block == null ? List.of() : block;
  }

  Statement withBlock(List<Statement> newBlock) {
    return new Statement(words, newBlock);
  }
}
