package dev.vrrp.agent.keepalived;

import dev.vrrp.api.v1alpha1.HealthCheck;

/**
 * A {@code track_file} (or the deprecated {@code vrrp_track_file}) block as the file check it
 * becomes. keepalived's weight defaults to 1 here, ours to 0, so the weight is always written.
 */
final class TrackFile implements Tracked {
  /** keepalived's default weight of a track_file. */
  private static final int KEEPALIVED_WEIGHT = 1;

  final Word name;
  final String path;
  final int weight;

  private TrackFile(Word name, String path, int weight) {
    this.name = name;
    this.path = path;
    this.weight = weight;
  }

  static TrackFile read(Statement block, NoticeList notices) {
    Word name = block.args().isEmpty() ? block.words().get(0) : block.args().get(0);
    String path = null;
    int weight = KEEPALIVED_WEIGHT;
    for (Statement s : block.children()) {
      switch (s.keyword()) {
        case "file" -> path = s.arg(0);
        case "weight" -> {
          Integer w = Numbers.weight(s, notices);
          weight = w == null ? weight : w;
        }
        case "init_file" ->
            notices.warning(
                s,
                "not converted: the agent does not create the file; a missing file is a failing"
                    + " check, so create it (e.g. echo 0 > FILE) before the agent starts");
        default -> notices.error(s, "not converted: track_file has no such setting here");
      }
    }
    if (path == null) {
      notices.error(block, name.text() + " has no file; its check cannot run");
    }
    return new TrackFile(name, path, weight);
  }

  @Override
  public HealthCheck check(Integer weightOverride) {
    HealthCheck check = new HealthCheck();
    check.setType("file");
    check.setName(name.text());
    check.setPath(path);
    check.setWeight(weightOverride != null ? weightOverride : weight);
    return check;
  }
}
