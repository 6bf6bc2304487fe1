package dev.vrrp.agent.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vrrp.api.ClientSerialization;
import dev.vrrp.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * This node's last plan, kept on the node: the VirtualIPs it runs or cannot run (as the API server
 * had them, resourceVersions included), the Nodes, and the Secret values the plan used. An agent
 * that restarts while the API server is unreachable (an OOM kill, a crash: the kubelet restarts the
 * container without the API) resumes from it instead of knowing nothing. Written atomically (a
 * temporary file, fsync, rename) with mode 0600 under a directory that lives in memory ({@code
 * /run/vrrp-agent}: it survives the agent, not a reboot).
 */
final class SavedPlan {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final KubernetesSerialization SERIALIZATION =
      ClientSerialization.withoutManagedFields();

  /** What a saved plan holds. */
  record Snapshot(
      Instant savedAt,
      String node,
      List<VirtualIP> virtualIps,
      List<Node> nodes,
      Map<String, String> secrets) {}

  private final Path file;

  SavedPlan(Path directory, String node) {
    this.file = directory.resolve("plan-" + node + ".json");
  }

  Path file() {
    return file;
  }

  void save(Snapshot snapshot) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("savedAt", snapshot.savedAt().toString());
    root.put("node", snapshot.node());
    ArrayNode vips = root.putArray("virtualIps");
    for (VirtualIP vip : snapshot.virtualIps()) {
      vips.add(JSON.readTree(SERIALIZATION.asJson(vip)));
    }
    ArrayNode nodes = root.putArray("nodes");
    for (Node node : snapshot.nodes()) {
      nodes.add(JSON.readTree(SERIALIZATION.asJson(node)));
    }
    ObjectNode secrets = root.putObject("secrets");
    snapshot.secrets().forEach(secrets::put);
    Files.createDirectories(file.getParent());
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    Files.createFile(
        temporary,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(JSON.writeValueAsBytes(root)));
      channel.force(true);
    }
    try {
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The saved plan, or empty when there is none; a file that cannot be read is an IOException. */
  Optional<Snapshot> load() throws IOException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonNode root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    List<VirtualIP> vips = new ArrayList<>();
    for (JsonNode vip : root.path("virtualIps")) {
      vips.add(SERIALIZATION.unmarshal(vip.toString(), VirtualIP.class));
    }
    List<Node> nodes = new ArrayList<>();
    for (JsonNode node : root.path("nodes")) {
      nodes.add(SERIALIZATION.unmarshal(node.toString(), Node.class));
    }
    Map<String, String> secrets = new LinkedHashMap<>();
    root.path("secrets")
        .fields()
        .forEachRemaining(e -> secrets.put(e.getKey(), e.getValue().asText()));
    return Optional.of(
        new Snapshot(
            Instant.parse(root.path("savedAt").asText()),
            root.path("node").asText(),
            vips,
            nodes,
            secrets));
  }

  /** The key of a Secret value in a snapshot. */
  static String secretKey(String namespace, String name, String key) {
    return namespace + "/" + name + "/" + key;
  }
}
