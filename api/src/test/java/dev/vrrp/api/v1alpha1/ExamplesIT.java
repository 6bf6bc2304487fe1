package dev.vrrp.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.crd.CrdGenerator;
import dev.vrrp.api.kube.RealApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every manifest in examples/ and examples/load-balancers/ is accepted by the real API server, as a
 * user would apply it.
 */
@Tag("integration")
class ExamplesIT {
  @RegisterExtension static final RealApiServer API = new RealApiServer();

  private static final Path EXAMPLES = Path.of("..", "examples");

  @BeforeAll
  static void crdAndNamespace() {
    API.installCrd();
    API.installCrd(CrdGenerator.POOLS);
    if (API.client().namespaces().withName("vrrp-system").get() == null) {
      API.client()
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName("vrrp-system")
                  .endMetadata()
                  .build())
          .create();
    }
  }

  /** The VirtualIP examples and those for LoadBalancer Services (a pool and Services). */
  static Stream<Path> examples() throws Exception {
    return Stream.concat(yaml(EXAMPLES), yaml(EXAMPLES.resolve("load-balancers")));
  }

  private static Stream<Path> yaml(Path dir) throws Exception {
    return Files.list(dir).filter(p -> p.toString().endsWith(".yaml")).sorted();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void isAcceptedAsWritten(Path example) throws Exception {
    List<HasMetadata> objects;
    try (FileInputStream in = new FileInputStream(example.toFile())) {
      objects = API.client().load(in).items();
    }
    assertThat(objects).isNotEmpty();
    for (HasMetadata object : objects) {
      HasMetadata stored = API.client().resource(object).serverSideApply();
      assertThat(stored.getMetadata().getUid())
          .as("%s accepted", object.getMetadata().getName())
          .isNotBlank();
    }
    assertThat(objects)
        .as("a VirtualIP, a pool or a LoadBalancer Service of our class")
        .anyMatch(
            o ->
                o instanceof VirtualIP
                    || o instanceof VirtualIPPool
                    || o instanceof Service s
                        && LoadBalancers.CLASS.equals(s.getSpec().getLoadBalancerClass()));
  }

  @org.junit.jupiter.api.Test
  void coverEveryKeepalivedTutorialScenario() throws Exception {
    try (Stream<Path> files = yaml(EXAMPLES)) {
      assertThat(files.map(p -> p.getFileName().toString())).hasSizeGreaterThanOrEqualTo(8);
    }
  }
}
