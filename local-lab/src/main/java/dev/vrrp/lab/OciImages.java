package dev.vrrp.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The image tarballs of {@code scripts/images.sh} ({@code target/images/*.oci.tar}): the names
 * containerd gives them on import come from the tarballs themselves, so nothing here repeats a tag.
 */
public final class OciImages {
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String NODE_AGENT = "node-agent.oci.tar";
  public static final String OPERATOR = "operator.oci.tar";
  public static final String PAUSE = "pause.oci.tar";

  private final Path dir;

  public OciImages(Path dir) {
    this.dir = dir;
  }

  /** The images of a repository: {@code target/images}. */
  public static OciImages of(Path repo) {
    return new OciImages(repo.resolve("target").resolve("images"));
  }

  public Path tarball(String file) {
    Path path = dir.resolve(file);
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException(
          path + " is missing: build the images first (scripts/images.sh)");
    }
    return path;
  }

  public List<Path> all() {
    return List.of(tarball(PAUSE), tarball(NODE_AGENT), tarball(OPERATOR));
  }

  /** The names (repository:tag) containerd imports a tarball as. */
  public List<String> names(String file) throws IOException {
    Netns.Result index = Netns.tryRun("tar", "-xOf", tarball(file).toString(), "index.json");
    if (index.exit() != 0) {
      throw new IOException("cannot read index.json of " + tarball(file) + ": " + index.output());
    }
    List<String> names = new ArrayList<>();
    for (JsonNode manifest : JSON.readTree(index.output()).path("manifests")) {
      String name = manifest.path("annotations").path("io.containerd.image.name").asText("");
      if (!name.isEmpty()) {
        names.add(name);
      }
    }
    if (names.isEmpty()) {
      throw new IOException(tarball(file) + " names no image (io.containerd.image.name)");
    }
    return names;
  }
}
