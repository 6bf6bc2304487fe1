package dev.vrrp.api;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem of one validation pass, so that the user fixes them all in one go. */
public final class Problems {
  private final List<Problem> found = new ArrayList<>();

  public void add(String field, String message) {
    found.add(new Problem(field, message));
  }

  public boolean isEmpty() {
    return found.isEmpty();
  }

  public List<Problem> list() {
    return List.copyOf(found);
  }

  /** How many were found so far; with {@link #since} a caller sees whether one step added any. */
  public int count() {
    return found.size();
  }

  public boolean since(int count) {
    return found.size() > count;
  }
}
