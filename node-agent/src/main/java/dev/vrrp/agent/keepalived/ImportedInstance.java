package dev.vrrp.agent.keepalived;

import dev.vrrp.api.v1alpha1.HealthCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One vrrp_instance with keepalived's semantics already applied (defaults, what keepalived ignores
 * or rounds), in the words of our configuration; not yet checked by our rules, which the writers
 * apply to what they print. Each field remembers the keyword it came from, so that a problem our
 * rules find points at a line of keepalived.conf.
 */
final class ImportedInstance {
  final String name;
  final Word declaration;
  String interfaceName;
  Integer virtualRouterId;
  int priority;
  boolean master;
  int version;
  Duration advertisementInterval = Duration.ofSeconds(1);
  boolean preempt = true;
  Duration preemptDelay;
  final List<String> addresses = new ArrayList<>();
  String password;
  final List<String> unicastPeers = new ArrayList<>();
  String sourceAddress;
  boolean virtualMac;
  boolean checksumV2;
  Integer announceRepeat;
  Duration announceDelay;
  Duration announceRefresh;
  final List<HealthCheck> track = new ArrayList<>();

  /** Field path in our config ({@code addresses[1]}, {@code track[0]}) to the keyword's word. */
  private final Map<String, Word> origins = new HashMap<>();

  ImportedInstance(String name, Word declaration) {
    this.name = name;
    this.declaration = declaration;
  }

  void origin(String field, Word keyword) {
    origins.put(field, keyword);
  }

  /**
   * Where {@code field} came from: the keyword of the field or of its nearest parent, else the
   * instance.
   */
  Word originOf(String field) {
    String path = field;
    while (!path.isEmpty()) {
      Word word = origins.get(path);
      if (word != null) {
        return word;
      }
      int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
      path = cut < 0 ? "" : path.substring(0, cut);
    }
    return declaration;
  }

  boolean hasOrigin(String field) {
    return origins.containsKey(field);
  }
}
