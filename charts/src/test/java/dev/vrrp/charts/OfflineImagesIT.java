package dev.vrrp.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code scripts/images.sh} for real (root, network to the Debian mirrors on a cold cache): the
 * three tarballs exist, skopeo reads them, their configs are the Dockerfiles', the application
 * layer is the jar alone with fixed metadata, and a second run, with the jars touched, gives the
 * same application-layer digests (and reuses the cached base: seconds, not minutes).
 */
@Tag("integration")
class OfflineImagesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> JAVA_IMAGES = List.of("node-agent", "operator");
  private static final long EPOCH =
      Long.parseLong(System.getenv().getOrDefault("SOURCE_DATE_EPOCH", "0"));

  private static Map<String, ImagesScript.Image> configs;
  private static ImagesScript.Run first;
  private static ImagesScript.Run second;
  private static final Map<String, String> firstAppLayers = new LinkedHashMap<>();
  private static final Map<String, String> secondAppLayers = new LinkedHashMap<>();
  private static final Map<String, OciArchive> archives = new HashMap<>();

  @BeforeAll
  static void buildTwice() throws Exception {
    assertThat(command("id", "-u").strip())
        .as("the image build needs root (mmdebstrap --mode=root, apt-get): sudo ./test")
        .isEqualTo("0");
    configs = ImagesScript.printConfig(Repo.root(), "node-agent", "operator", "pause");

    first = ImagesScript.run(Repo.root(), 1800);
    System.out.println("first run (" + first.millis() / 1000 + "s):\n" + first.output());
    assertThat(first.exitCode()).as("scripts/images.sh failed:\n%s", first.output()).isZero();
    for (String name : configs.keySet()) {
      firstAppLayers.put(name, appLayer(name, OciArchive.open(tarball(name))));
    }

    // new mtimes on the jars: the layer must not see them
    for (String module : JAVA_IMAGES) {
      Files.setLastModifiedTime(
          Repo.file(configs.get(module).one("copy-source")), FileTime.from(Instant.now()));
    }
    second = ImagesScript.run(Repo.root(), 1800);
    System.out.println("second run (" + second.millis() / 1000 + "s):\n" + second.output());
    assertThat(second.exitCode()).as("scripts/images.sh failed:\n%s", second.output()).isZero();
    for (String name : configs.keySet()) {
      OciArchive archive = OciArchive.open(tarball(name));
      archives.put(name, archive);
      secondAppLayers.put(name, appLayer(name, archive));
    }
    System.out.printf("application layers, first run:  %s%n", firstAppLayers);
    System.out.printf("application layers, second run: %s%n", secondAppLayers);
  }

  @Test
  void secondRunGivesTheSameApplicationLayersFromTheCachedBase() {
    assertThat(secondAppLayers).isEqualTo(firstAppLayers).hasSize(3);
    for (String module : JAVA_IMAGES) {
      assertThat(second.output()).contains("images: " + module + ": base cached in ");
    }
    assertThat(second.output()).doesNotContain("mmdebstrap --mode=root");
  }

  @ParameterizedTest
  @ValueSource(strings = {"node-agent", "operator", "pause"})
  void skopeoReadsEveryTagAndEachIsNamedForContainerd(String name) throws Exception {
    ImagesScript.Image image = configs.get(name);
    OciArchive archive = archives.get(name);
    JsonNode index = archive.index();

    assertThat(index.path("manifests")).hasSameSizeAs(image.all("tag"));
    for (String tag : image.all("tag")) {
      JsonNode inspect =
          JSON.readTree(command("skopeo", "inspect", "oci-archive:" + tarball(name) + ":" + tag));
      JsonNode entry = descriptor(index, tag);
      assertThat(inspect.path("Digest").asText()).isEqualTo(entry.path("digest").asText());
      assertThat(toList(inspect.path("Layers"))).isEqualTo(archive.layers(tag));
      assertThat(entry.at("/annotations/io.containerd.image.name").asText())
          .isEqualTo(image.one("repository") + ":" + tag);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"node-agent", "operator"})
  void configIsTheDockerfiles(String module) throws Exception {
    Dockerfile dockerfile = Dockerfile.read(Repo.file(module + "/Dockerfile"));
    int last = dockerfile.finalStage();
    ImagesScript.Image image = configs.get(module);
    JsonNode config = skopeoConfig(module, image.all("tag").get(0));
    List<Dockerfile.Instruction> users = dockerfile.in(last, "USER");

    assertThat(toList(config.at("/config/Entrypoint")))
        .isEqualTo(dockerfile.exec("ENTRYPOINT").orElse(List.of()));
    assertThat(toList(config.at("/config/Cmd"))).isEqualTo(dockerfile.exec("CMD").orElseThrow());
    assertThat(config.at("/config/User").asText(""))
        .isEqualTo(users.isEmpty() ? "" : users.get(users.size() - 1).arguments());
    assertThat(config.at("/config/WorkingDir").asText()).isEqualTo(dockerfile.workdir(last));
    assertThat(toList(config.at("/config/Env"))).isEqualTo(image.all("env"));
    List<String> ports = new ArrayList<>();
    config.at("/config/ExposedPorts").fieldNames().forEachRemaining(ports::add);
    assertThat(ports)
        .isEqualTo(
            dockerfile.in(last, "EXPOSE").stream()
                .flatMap(e -> Arrays.stream(e.arguments().split("\\s+")))
                .map(p -> p.contains("/") ? p : p + "/tcp")
                .toList());
    assertThat(config.path("os").asText()).isEqualTo("linux");
    // the same config under every tag
    for (String tag : image.all("tag")) {
      assertThat(archives.get(module).config(tag)).isEqualTo(config);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"node-agent", "operator"})
  void applicationLayerIsTheJarAloneWithFixedMetadata(String module) {
    ImagesScript.Image image = configs.get(module);
    OciArchive archive = archives.get(module);
    Path jar = Repo.file(image.one("copy-source"));
    String destination = image.one("copy-destination").substring(1);
    List<String> layers = archive.layers(image.all("tag").get(0));
    List<String> names = new ArrayList<>();
    String[] jarDigest = {null};

    assertThat(layers).hasSize(2);
    archive.layer(
        layers.get(1),
        (entry, content) -> {
          names.add(entry.name());
          assertThat(entry.uid()).as(entry.name()).isZero();
          assertThat(entry.gid()).as(entry.name()).isZero();
          assertThat(entry.mtime()).as(entry.name()).isEqualTo(EPOCH);
          if (entry.type() == '0') {
            assertThat(entry.mode()).as(entry.name()).isEqualTo(0644);
            jarDigest[0] = digest(content);
          } else {
            assertThat(entry.mode()).as(entry.name()).isEqualTo(0755);
          }
        });

    // every parent folder, then the jar: nothing else
    List<String> expected = new ArrayList<>();
    String[] parts = destination.split("/");
    for (int i = 1; i < parts.length; i++) {
      expected.add(String.join("/", Arrays.copyOf(parts, i)) + "/");
    }
    expected.add(destination);
    assertThat(names).isEqualTo(expected);
    assertThat(jarDigest[0]).as("the jar in the layer").isEqualTo(OciArchive.sha256(jar));
  }

  @ParameterizedTest
  @ValueSource(strings = {"node-agent", "operator"})
  void baseLayerHasWhatTheImageRunsAndNothingOfTheBuild(String module) {
    Dockerfile dockerfile = Dockerfile.read(Repo.file(module + "/Dockerfile"));
    ImagesScript.Image image = configs.get(module);
    OciArchive archive = archives.get(module);
    Map<String, OciArchive.Entry> entries = new HashMap<>();
    Map<String, String> files = new HashMap<>();
    archive.layer(
        archive.layers(image.all("tag").get(0)).get(0),
        (entry, content) -> {
          String name = entry.name().replaceFirst("^\\./", "").replaceFirst("/$", "");
          entries.put(name, entry);
          if (name.equals("etc/passwd")) {
            files.put(name, new String(content.readAllBytes(), StandardCharsets.UTF_8));
          }
        });
    String javaHome =
        image.all("env").stream()
            .filter(e -> e.startsWith("JAVA_HOME="))
            .findFirst()
            .orElseThrow()
            .substring("JAVA_HOME=".length());

    // what the config runs is there: tini, java on the PATH, the JRE at JAVA_HOME
    dockerfile
        .exec("ENTRYPOINT")
        .ifPresent(
            e -> assertThat(entries.get(e.get(0).substring(1))).as("%s", e.get(0)).isNotNull());
    assertThat(entries.get("usr/bin/java"))
        .isNotNull()
        .extracting(OciArchive.Entry::type)
        .isEqualTo('2');
    assertThat(entries.get(javaHome.substring(1) + "/bin/java"))
        .isNotNull()
        .satisfies(e -> assertThat(e.mode() & 0111).isNotZero());
    // the Dockerfile's USER exists
    dockerfile.in(dockerfile.finalStage(), "USER").stream()
        .map(Dockerfile.Instruction::arguments)
        .forEach(
            user ->
                assertThat(files.get("etc/passwd").lines())
                    .anySatisfy(
                        line -> {
                          String[] f = line.split(":");
                          assertThat(f[2] + ":" + f[3]).isEqualTo(user);
                        }));
    boolean pcap = entries.keySet().stream().anyMatch(n -> n.contains("/libpcap.so"));
    assertThat(pcap).as("libpcap in the %s image", module).isEqualTo(module.equals("node-agent"));
    // no package lists, downloaded packages, man pages, docs but the copyrights, translations
    // (left: the folders and the dangling symlinks of the alternatives), device nodes
    List<String> leftovers =
        entries.values().stream()
            .filter(e -> e.type() == '0')
            .map(e -> e.name().replaceFirst("^\\./", ""))
            .filter(
                n ->
                    (n.startsWith("var/lib/apt/lists/") || n.startsWith("var/cache/apt/"))
                            && !n.endsWith("/lock")
                        || n.endsWith(".deb")
                        || n.startsWith("usr/share/man/")
                        || n.startsWith("usr/share/locale/")
                        || n.startsWith("usr/share/doc/") && !n.endsWith("/copyright"))
            .toList();
    assertThat(leftovers).as("files of the build or of the excluded paths").isEmpty();
    assertThat(entries.values())
        .filteredOn(e -> e.type() == '3' || e.type() == '4')
        .as("device nodes")
        .isEmpty();
  }

  @Test
  void pauseIsKubernetesOwnFromScratch(@TempDir Path temp) throws Exception {
    ImagesScript.Image image = configs.get("pause");
    Path upstream = Path.of(image.one("dockerfile"));
    Dockerfile dockerfile = Dockerfile.read(upstream);
    String makefile = Files.readString(upstream.resolveSibling("Makefile"));
    OciArchive archive = archives.get("pause");
    String tag = image.one("tag");
    JsonNode config = skopeoConfig("pause", tag);

    assertThat(image.one("repository") + ":" + tag).isEqualTo("registry.k8s.io/pause:3.10.1");
    assertThat(makefile).contains("TAG ?= " + tag + "\n");
    assertThat(toList(config.at("/config/Entrypoint")))
        .isEqualTo(dockerfile.exec("ENTRYPOINT").orElseThrow())
        .containsExactly("/pause");
    assertThat(config.at("/config/User").asText())
        .isEqualTo(dockerfile.in(dockerfile.finalStage(), "USER").get(0).arguments());
    List<String> layers = archive.layers(tag);
    assertThat(layers).hasSize(1);
    List<OciArchive.Entry> entries = new ArrayList<>();
    Path binary = temp.resolve("pause");
    archive.layer(
        layers.get(0),
        (entry, content) -> {
          entries.add(entry);
          Files.write(binary, content.readAllBytes());
        });
    assertThat(entries)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.name()).isEqualTo("pause");
              assertThat(e.mode()).isEqualTo(0755);
              assertThat(e.uid()).isZero();
              assertThat(e.mtime()).isEqualTo(EPOCH);
            });
    // a static ELF (no program interpreter: nothing else in the image to load it)
    assertThat(programHeaderTypes(Files.readAllBytes(binary))).isNotEmpty().doesNotContain(3);
    Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(command(binary.toString(), "-v")).startsWith("pause.c v" + tag + "-v");
  }

  // ---------------------------------------------------------------------------------------------

  private static Path tarball(String name) {
    return Repo.file(configs.get(name).one("tarball"));
  }

  private static String appLayer(String name, OciArchive archive) {
    List<String> layers = archive.layers(configs.get(name).all("tag").get(0));
    return layers.get(layers.size() - 1);
  }

  private static JsonNode descriptor(JsonNode index, String tag) {
    for (JsonNode m : index.path("manifests")) {
      if (tag.equals(m.at("/annotations/org.opencontainers.image.ref.name").asText())) {
        return m;
      }
    }
    throw new AssertionError("no " + tag + " in " + index);
  }

  private static JsonNode skopeoConfig(String name, String tag) throws Exception {
    return JSON.readTree(
        command("skopeo", "inspect", "--config", "oci-archive:" + tarball(name) + ":" + tag));
  }

  private static List<String> toList(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }

  private static String digest(InputStream content) throws IOException {
    MessageDigest sha256 = OciArchive.sha256();
    byte[] buffer = new byte[65536];
    for (int n; (n = content.read(buffer)) > 0; ) {
      sha256.update(buffer, 0, n);
    }
    return "sha256:" + HexFormat.of().formatHex(sha256.digest());
  }

  /** p_type of each program header of a 64-bit little-endian ELF. */
  private static List<Integer> programHeaderTypes(byte[] elf) {
    assertThat(Arrays.copyOf(elf, 4)).isEqualTo(new byte[] {0x7f, 'E', 'L', 'F'});
    assertThat(elf[4]).as("ELFCLASS64").isEqualTo((byte) 2);
    ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
    long phoff = b.getLong(0x20);
    int phentsize = b.getShort(0x36) & 0xffff;
    int phnum = b.getShort(0x38) & 0xffff;
    List<Integer> types = new ArrayList<>();
    for (int i = 0; i < phnum; i++) {
      types.add(b.getInt((int) (phoff + (long) i * phentsize)));
    }
    return types;
  }

  private static String command(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    process.getInputStream().transferTo(out);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), text).isZero();
    return text;
  }
}
