package dev.vrrp.api.vocabulary;

/** A word of the vocabulary as it is written on the wire. */
public interface Word {
  /** How the word is written in the API objects. */
  String wire();

  /** Whether {@code text} is this word. */
  default boolean is(String text) {
    return wire().equals(text);
  }
}
