package dev.vrrp.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vrrp.operator.agents.AgentDaemonSet;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collector;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The images cannot be built here (no Docker engine), so this checks what they would contain
 * against what the build produces and what the chart and the operator run: the jar each Dockerfile
 * copies is the one {@code package} writes, the path it lands on is the one the Deployment and the
 * operator's DaemonSet run, the image names are the chart's defaults, the base images are pinned.
 */
class DockerfilesTest {
  static final Dockerfile AGENT = Dockerfile.read(Repo.file("node-agent/Dockerfile"));
  static final Dockerfile OPERATOR = Dockerfile.read(Repo.file("operator/Dockerfile"));
  private static final Pattern PINNED =
      Pattern.compile("^[a-z0-9./-]+:[0-9][A-Za-z0-9._-]*(-[a-z0-9.]+)*$");
  private static final Pattern MAVEN_PROJECTS = Pattern.compile("-pl\\s+(\\S+)");

  @ParameterizedTest
  @ValueSource(strings = {"node-agent", "operator"})
  void baseImagesArePinnedToAVersion(String module) {
    Dockerfile dockerfile = Dockerfile.read(Repo.file(module + "/Dockerfile"));

    assertThat(dockerfile.baseImages())
        .isNotEmpty()
        .allSatisfy(
            image ->
                assertThat(image)
                    .as("%s: FROM %s", dockerfile.path(), image)
                    .matches(PINNED)
                    .doesNotEndWith(":latest"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"node-agent", "operator"})
  void buildStageHasEveryModuleTheRootPomLists(String module) throws Exception {
    Dockerfile dockerfile = Dockerfile.read(Repo.file(module + "/Dockerfile"));
    int build = dockerfile.stage("build");
    List<String> copied =
        dockerfile.copies(build).stream()
            .filter(c -> c.from() == null)
            .flatMap(c -> c.sources().stream())
            .map(s -> s.replaceAll("/+$", ""))
            .toList();

    // Maven reads the whole reactor even for -pl X -am: a module folder missing from the image
    // fails the build
    assertThat(copied)
        .as("%s: COPY in the build stage", dockerfile.path())
        .contains(".mvn", "mvnw", "pom.xml")
        .containsAll(rootModules());
  }

  @ParameterizedTest
  @ValueSource(strings = {"node-agent", "operator"})
  void imageCopiesTheRunnableJarThatPackageBuilds(String module) throws IOException {
    Dockerfile dockerfile = Dockerfile.read(Repo.file(module + "/Dockerfile"));
    int build = dockerfile.stage("build");
    String workdir = dockerfile.workdir(build);
    Dockerfile.Copy jarCopy =
        dockerfile.copies(dockerfile.finalStage()).stream()
            .filter(c -> "build".equals(c.from()))
            .collect(single());

    String source = jarCopy.sources().get(0);
    assertThat(source).startsWith(workdir + "/");
    Path built = Repo.root().resolve(source.substring(workdir.length() + 1));
    assertThat(built)
        .as("the jar %s copies (after ./mvnw package)", dockerfile.path())
        .isEqualTo(Repo.file(module + "/target/" + module + ".jar"))
        .isRegularFile();
    try (JarFile jar = new JarFile(built.toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
          .as("%s is runnable", built)
          .isNotBlank();
    }
    // and the build stage builds exactly that module
    String run =
        dockerfile.in(build, "RUN").stream()
            .map(Dockerfile.Instruction::arguments)
            .filter(r -> r.contains("mvnw"))
            .collect(single());
    Matcher projects = MAVEN_PROJECTS.matcher(run);
    assertThat(projects.find()).as("%s builds with -pl", run).isTrue();
    assertThat(projects.group(1).split(",")).contains(module);
    assertThat(run).contains(" package");
  }

  @Test
  void agentImageRunsWhatTheOperatorsDaemonSetRuns() {
    Dockerfile.Copy jar =
        AGENT.copies(AGENT.finalStage()).stream()
            .filter(c -> "build".equals(c.from()))
            .collect(single());

    assertThat(jar.destination()).isEqualTo(AgentDaemonSet.JAR);
    assertThat(AgentDaemonSet.command()).contains(AgentDaemonSet.JAR);
    // the DaemonSet sets command (the image's ENTRYPOINT), so the image's CMD must be the same
    // program
    assertThat(AGENT.exec("CMD")).contains(AgentDaemonSet.command());
  }

  @Test
  void operatorImageRunsWhatTheChartsDeploymentRuns() {
    Dockerfile.Copy jar =
        OPERATOR.copies(OPERATOR.finalStage()).stream()
            .filter(c -> "build".equals(c.from()))
            .collect(single());
    Container container = ChartRenderTest.operatorContainer(ChartRenderTest.DEFAULTS);
    PodSecurityContext pod =
        Chart.one(ChartRenderTest.DEFAULTS, Deployment.class, "vrrp-operator")
            .getSpec()
            .getTemplate()
            .getSpec()
            .getSecurityContext();

    assertThat(jar.destination()).isEqualTo("/opt/vrrp/operator.jar");
    // the Deployment's command is the image's CMD with the log level before -jar
    List<String> cmd = OPERATOR.exec("CMD").orElseThrow();
    List<String> expected = new ArrayList<>(cmd);
    expected.add(cmd.indexOf("-jar"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
    assertThat(container.getCommand()).isEqualTo(expected);
    assertThat(cmd.subList(cmd.size() - 2, cmd.size())).containsExactly("-jar", jar.destination());
    assertThat(OPERATOR.exec("ENTRYPOINT")).isEmpty();
    // the image's user is the one the pod runs as (runAsNonRoot needs a numeric uid)
    assertThat(OPERATOR.in(OPERATOR.finalStage(), "USER"))
        .singleElement()
        .satisfies(
            u ->
                assertThat(u.arguments())
                    .isEqualTo(pod.getRunAsUser() + ":" + pod.getRunAsGroup()));
    assertThat(OPERATOR.in(OPERATOR.finalStage(), "EXPOSE"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.arguments())
                    .isEqualTo(String.valueOf(container.getPorts().get(0).getContainerPort())));
  }

  @Test
  void imageNamesAreTheChartsAndTheOperatorsDefaults() {
    JsonNode values = Chart.values();
    String agentImage =
        values.at("/agent/image/repository").asText()
            + ":"
            + values.at("/agent/image/tag").asText();
    String operatorImage =
        values.at("/operator/image/repository").asText()
            + ":"
            + values.at("/operator/image/tag").asText();

    assertThat(agentImage).isEqualTo(AgentDaemonSet.DEFAULT_IMAGE);
    assertThat(AGENT.documentedTag()).contains(agentImage);
    assertThat(OPERATOR.documentedTag()).contains(operatorImage);
    assertThat(values.at("/operator/image/tag").asText())
        .isEqualTo(Chart.chartYaml().get("appVersion").asText());
    assertThat(ChartRenderTest.operatorContainer(ChartRenderTest.DEFAULTS).getImage())
        .isEqualTo(operatorImage);
  }

  @Test
  void jarsReportTheChartsAppVersion() throws Exception {
    String appVersion = Chart.chartYaml().get("appVersion").asText();

    assertThat(run(Repo.file("operator/target/operator.jar"), "--version"))
        .isEqualTo("vrrp-operator " + appVersion);
    assertThat(run(Repo.file("node-agent/target/node-agent.jar"), "--version"))
        .isEqualTo("node-agent " + appVersion);
  }

  private static String run(Path jar, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    return out;
  }

  /** The modules of the root pom's reactor. */
  private static List<String> rootModules() throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Element project =
        factory.newDocumentBuilder().parse(Repo.file("pom.xml").toFile()).getDocumentElement();
    List<String> modules = new ArrayList<>();
    NodeList lists = project.getElementsByTagNameNS("*", "modules");
    for (int i = 0; i < lists.getLength(); i++) {
      if (lists.item(i).getParentNode() == project) {
        NodeList entries = ((Element) lists.item(i)).getElementsByTagNameNS("*", "module");
        for (int j = 0; j < entries.getLength(); j++) {
          modules.add(entries.item(j).getTextContent().strip());
        }
      }
    }
    assertThat(modules).as("modules of the root pom").isNotEmpty();
    return modules;
  }

  private static <T> Collector<T, ?, T> single() {
    return Collectors.collectingAndThen(
        Collectors.toList(),
        list -> {
          assertThat(list).hasSize(1);
          return list.get(0);
        });
  }
}
