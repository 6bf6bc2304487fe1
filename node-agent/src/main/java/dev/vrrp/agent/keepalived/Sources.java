package dev.vrrp.agent.keepalived;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The only I/O of the import: reading the files that keepalived.conf names. A seam so that the
 * parser is tested on files in memory as well as on disk.
 */
public interface Sources {
  String read(Path file) throws IOException;

  /** The existing files that an include pattern (keepalived: glob(3), braces too) names, sorted. */
  List<Path> glob(Path pattern) throws IOException;
}
