package dev.vrrp.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.operator.agents.AgentDaemonSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The offline image build ({@code scripts/images.sh}) and the Dockerfiles stay in step. The
 * Dockerfile owns entrypoint, cmd, user, working directory, ENV, EXPOSE, the jar and the packages;
 * the script reads them from it. This checks, without building anything (the script's {@code
 * --print-config} needs no root, network or packages), that what the script reads is what {@link
 * Dockerfile} reads, that it reads rather than repeats (a changed Dockerfile changes the image),
 * and the few values the script owns itself: the Debian stand-in for the base image and the tags.
 */
class OfflineImagesTest {
  private static final Pattern APT_INSTALL =
      Pattern.compile("apt-get\\s+(?:-\\S+\\s+)*install\\s+([^&]*)");
  private static final Pattern TEMURIN = Pattern.compile("^eclipse-temurin:(\\d+)[.\\-_].*-jre.*$");
  private static final Map<String, ImagesScript.Image> IMAGES =
      ImagesScript.printConfig(Repo.root(), "node-agent", "operator");

  private static Dockerfile dockerfile(String module) {
    return Dockerfile.read(Repo.file(module + "/Dockerfile"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"node-agent", "operator"})
  void entrypointAndCmdAreTheDockerfiles(String module) {
    Dockerfile dockerfile = dockerfile(module);
    ImagesScript.Image image = IMAGES.get(module);

    assertThat(image.all("entrypoint")).isEqualTo(dockerfile.exec("ENTRYPOINT").orElse(List.of()));
    assertThat(image.all("cmd")).isNotEmpty().isEqualTo(dockerfile.exec("CMD").orElseThrow());
  }

  @ParameterizedTest
  @ValueSource(strings = {"node-agent", "operator"})
  void userWorkdirAndPortsAreTheDockerfiles(String module) {
    Dockerfile dockerfile = dockerfile(module);
    int last = dockerfile.finalStage();
    ImagesScript.Image image = IMAGES.get(module);

    List<Dockerfile.Instruction> users = dockerfile.in(last, "USER");
    assertThat(image.one("user"))
        .isEqualTo(users.isEmpty() ? "" : users.get(users.size() - 1).arguments());
    assertThat(image.one("workdir")).isEqualTo(dockerfile.workdir(last));
    assertThat(image.all("expose"))
        .isEqualTo(
            dockerfile.in(last, "EXPOSE").stream()
                .flatMap(e -> Arrays.stream(e.arguments().split("\\s+")))
                .map(p -> p.contains("/") ? p : p + "/tcp")
                .toList());
  }

  @ParameterizedTest
  @ValueSource(strings = {"node-agent", "operator"})
  void envIsTheDockerfilesOnTopOfTheJreStandIn(String module) {
    Dockerfile dockerfile = dockerfile(module);
    ImagesScript.Image image = IMAGES.get(module);
    String from = dockerfile.baseImages().get(dockerfile.finalStage());
    Matcher temurin = TEMURIN.matcher(from);

    assertThat(image.one("from")).isEqualTo(from);
    assertThat(temurin.matches()).as("the final stage's base %s is a Temurin JRE", from).isTrue();
    String java = temurin.group(1);
    // the stand-in is Debian's JRE of the same major version, its JAVA_HOME and a PATH with java
    assertThat(image.all("package")).contains("openjdk-" + java + "-jre-headless");
    List<String> env = image.all("env");
    assertThat(env)
        .anySatisfy(
            e -> assertThat(e).startsWith("JAVA_HOME=/usr/lib/jvm/java-" + java + "-openjdk-"))
        .anySatisfy(e -> assertThat(e).startsWith("PATH=").contains(":/usr/bin:"))
        .contains("LANG=C.UTF-8");
    // every ENV of the Dockerfile, after the stand-in's
    List<String> declared = new ArrayList<>();
    for (Dockerfile.Instruction e : dockerfile.in(dockerfile.finalStage(), "ENV")) {
      declared.addAll(Arrays.asList(e.arguments().split("\\s+")));
    }
    assertThat(env.subList(env.size() - declared.size(), env.size())).isEqualTo(declared);
  }

  @ParameterizedTest
  @ValueSource(strings = {"node-agent", "operator"})
  void packagesAndCommandsAreTheDockerfilesRuns(String module) {
    Dockerfile dockerfile = dockerfile(module);
    ImagesScript.Image image = IMAGES.get(module);
    List<String> aptPackages = new ArrayList<>();
    List<String> otherCommands = new ArrayList<>();
    for (Dockerfile.Instruction run : dockerfile.in(dockerfile.finalStage(), "RUN")) {
      List<String> kept = new ArrayList<>();
      for (String segment : run.arguments().split("&&")) {
        String command = segment.strip();
        Matcher install = APT_INSTALL.matcher(command);
        if (install.matches()) {
          Arrays.stream(install.group(1).strip().split("\\s+"))
              .filter(w -> !w.startsWith("-"))
              .forEach(aptPackages::add);
        } else if (!command.equals("apt-get update")
            && !command.equals("rm -rf /var/lib/apt/lists/*")) {
          kept.add(command);
        }
      }
      if (!kept.isEmpty()) {
        otherCommands.add(String.join(" && ", kept));
      }
    }

    assertThat(image.all("package")).containsAll(aptPackages);
    assertThat(image.all("run")).isEqualTo(otherCommands);
    if (otherCommands.stream().anyMatch(c -> c.contains("useradd") || c.contains("groupadd"))) {
      // not in Debian's essential set
      assertThat(image.all("package")).contains("passwd");
    }
    if (module.equals("node-agent")) {
      assertThat(aptPackages).contains("libpcap0.8", "iproute2", "tini");
    } else {
      assertThat(image.all("package")).doesNotContain("libpcap0.8");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"node-agent", "operator"})
  void jarIsTheOneTheDockerfileCopies(String module) {
    Dockerfile dockerfile = dockerfile(module);
    ImagesScript.Image image = IMAGES.get(module);
    Dockerfile.Copy copy =
        dockerfile.copies(dockerfile.finalStage()).stream()
            .filter(c -> "build".equals(c.from()))
            .findFirst()
            .orElseThrow();
    String buildWorkdir = dockerfile.workdir(dockerfile.stage("build"));

    assertThat(image.one("copy-destination")).isEqualTo(copy.destination());
    assertThat(buildWorkdir + "/" + image.one("copy-source")).isEqualTo(copy.sources().get(0));
    assertThat(image.one("copy-source")).isEqualTo(module + "/target/" + module + ".jar");
    if (module.equals("node-agent")) {
      assertThat(image.one("copy-destination")).isEqualTo(AgentDaemonSet.JAR);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"node-agent", "operator"})
  void tagsAreThePomVersionAndTheDockerfilesTag(String module) throws Exception {
    Dockerfile dockerfile = dockerfile(module);
    ImagesScript.Image image = IMAGES.get(module);
    String documented = dockerfile.documentedTag().orElseThrow();
    String repository = documented.substring(0, documented.lastIndexOf(':'));
    String documentedTag = documented.substring(documented.lastIndexOf(':') + 1);
    String version = projectVersion();

    assertThat(image.one("repository")).isEqualTo(repository);
    assertThat(image.all("tag"))
        .isEqualTo(
            version.equals(documentedTag) ? List.of(version) : List.of(version, documentedTag));
    assertThat(image.one("tarball")).isEqualTo("target/images/" + module + ".oci.tar");
  }

  /** One owner: the script repeats none of the Dockerfiles' values, it reads them. */
  @Test
  void scriptRepeatsNoValueOfTheDockerfiles() throws IOException {
    String script = Files.readString(Repo.file(ImagesScript.PATH));
    List<String> values = new ArrayList<>();
    for (String module : List.of("node-agent", "operator")) {
      Dockerfile dockerfile = dockerfile(module);
      int last = dockerfile.finalStage();
      dockerfile.exec("ENTRYPOINT").ifPresent(values::addAll);
      values.addAll(dockerfile.exec("CMD").orElseThrow());
      dockerfile.in(last, "USER").forEach(u -> values.add(u.arguments()));
      dockerfile.in(last, "EXPOSE").forEach(e -> values.add(e.arguments()));
      dockerfile.copies(last).forEach(c -> values.add(c.destination()));
    }
    // plain words (java, kubernetes) and the bare flags say nothing about who owns the values
    values.removeIf(v -> v.matches("[a-z]+|-jar|--"));

    assertThat(values).isNotEmpty().allSatisfy(v -> assertThat(script).doesNotContain(v));
  }

  /** A changed Dockerfile changes what the script builds, with nothing else to edit. */
  @Test
  void scriptFollowsAChangedDockerfile(@TempDir Path copy) throws IOException {
    copyRepoFiles(copy);
    Path agent = copy.resolve("node-agent/Dockerfile");
    String text = Files.readString(agent);
    text =
        text.replace("\"-Xmx128m\"", "\"-Xmx100m\", \"-Dfoo=bar baz\"")
            .replace(" tini \\", " tini curl \\")
            .replace(
                "ENTRYPOINT [",
                "USER 1000:1000\nWORKDIR /work\nENV A=1 B=2\nEXPOSE 9090 53/udp\nENTRYPOINT [");
    Files.writeString(agent, text);

    ImagesScript.Image image = ImagesScript.printConfig(copy, "node-agent").get("node-agent");

    assertThat(image.all("cmd")).contains("-Xmx100m", "-Dfoo=bar baz").doesNotContain("-Xmx128m");
    assertThat(image.all("package")).contains("curl");
    assertThat(image.one("user")).isEqualTo("1000:1000");
    assertThat(image.one("workdir")).isEqualTo("/work");
    assertThat(image.all("env")).endsWith("A=1", "B=2");
    assertThat(image.all("expose")).containsExactly("9090/tcp", "53/udp");
    assertThat(image.all("cmd")).isEqualTo(Dockerfile.read(agent).exec("CMD").orElseThrow());
  }

  /** What the script cannot stand in for, it refuses, and says why. */
  @Test
  void scriptRefusesABaseItHasNoStandInFor(@TempDir Path copy) throws IOException {
    copyRepoFiles(copy);
    Path operator = copy.resolve("operator/Dockerfile");
    Files.writeString(
        operator,
        Files.readString(operator)
            .replace("FROM eclipse-temurin:17.0.15_6-jre-jammy", "FROM eclipse-temurin:21-jre"));

    ImagesScript.Run run = ImagesScript.run(copy, 60, "--print-config", "--only", "operator");

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.output())
        .contains("no Debian stand-in for the base image eclipse-temurin:21-jre");
  }

  @Test
  void scriptRefusesAnUnknownImage() {
    ImagesScript.Run run = ImagesScript.run(Repo.root(), 60, "--print-config", "--only", "nginx");

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.output()).contains("unknown image 'nginx'");
  }

  private static void copyRepoFiles(Path copy) throws IOException {
    for (String file :
        List.of(ImagesScript.PATH, "pom.xml", "node-agent/Dockerfile", "operator/Dockerfile")) {
      Files.createDirectories(copy.resolve(file).getParent());
      Files.copy(Repo.file(file), copy.resolve(file));
    }
  }

  /** The root pom's own version. */
  static String projectVersion() throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Element project =
        factory.newDocumentBuilder().parse(Repo.file("pom.xml").toFile()).getDocumentElement();
    for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getLocalName().equals("version")) {
        return e.getTextContent().strip();
      }
    }
    throw new AssertionError("no <version> in the root pom");
  }
}
