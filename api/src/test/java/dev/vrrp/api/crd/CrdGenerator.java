package dev.vrrp.api.crd;

import dev.vrrp.api.crd.CrdPostProcessing.ListType;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPPool;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Generates the CRDs from the Java types with fabric8's CRD generator plus {@link
 * CrdPostProcessing}. The build runs {@link #main} after compiling the tests (exec-maven-plugin in
 * api/pom.xml); {@code CrdIsUpToDateTest} fails when a checked-in copy differs.
 */
public final class CrdGenerator {
  public static final String REFRESH_COMMAND =
      "./mvnw -pl api process-test-classes -Dcrd.update=true";

  /** One resource's CRD: its type, its file, and the list types the generator cannot express. */
  public record Crd(
      Class<? extends CustomResource<?, ?>> type, String fileName, List<ListType> lists) {
    public Crd {
      lists = List.copyOf(lists);
    }
  }

  public static final Crd VIRTUAL_IPS =
      new Crd(
          VirtualIP.class,
          "virtualips.vrrp.dev-v1.yml",
          List.of(
              ListType.set("spec.addresses"),
              ListType.set("spec.nodeNames"),
              ListType.map("spec.priorities", "node"),
              ListType.map("status.priorities", "node"),
              ListType.map("status.nodes", "name"),
              ListType.map("status.conditions", "type")));

  public static final Crd POOLS =
      new Crd(
          VirtualIPPool.class,
          "virtualippools.vrrp.dev-v1.yml",
          List.of(
              ListType.set("spec.addresses"),
              ListType.map("spec.priorities", "node"),
              ListType.map("status.conditions", "type")));

  public static final List<Crd> ALL = List.of(VIRTUAL_IPS, POOLS);

  private static final String HEADER =
      """
      # Generated from the Java types in api/src/main/java/dev/vrrp/api/v1alpha1 by the api module's build
      # (dev.vrrp.api.crd.CrdGenerator). Do not edit: change the types, then run
      #   %s
      """
          .formatted(REFRESH_COMMAND);

  private CrdGenerator() {}

  /**
   * Arguments: the output directory, the checked-in directory, and "true" to also write the CRDs
   * there.
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      throw new IllegalArgumentException(
          "usage: CrdGenerator OUTPUT_DIR CHECKED_IN_DIR UPDATE(true|false)");
    }
    for (Crd crd : ALL) {
      String yaml = generate(crd);
      Path generated = write(Path.of(args[0]), crd, yaml);
      System.out.println("[crd] generated " + generated);
      if (Boolean.parseBoolean(args[2])) {
        Path checkedIn = write(Path.of(args[1]), crd, yaml);
        System.out.println(
            "[crd] updated the checked-in copy " + checkedIn.toAbsolutePath().normalize());
      }
    }
  }

  /** The CRD YAML for the current Java types. */
  public static String generate(Crd crd) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int count =
        new CRDGenerator()
            .forCRDVersions("v1")
            .withMinQuotes(true)
            .customResourceClasses(crd.type())
            .withPostProcessor(new CrdPostProcessing(crd.type(), crd.lists()))
            .withOutput(
                new CRDGenerator.AbstractCRDOutput<ByteArrayOutputStream>() {
                  @Override
                  protected ByteArrayOutputStream createStreamFor(String crdName) {
                    return out;
                  }
                })
            .generate();
    if (count != 1) {
      throw new IllegalStateException("expected one CRD, the generator produced " + count);
    }
    String yaml = out.toString(StandardCharsets.UTF_8);
    // replace the generator's own comment line with ours
    return HEADER + yaml.substring(yaml.indexOf('\n') + 1);
  }

  private static Path write(Path dir, Crd crd, String yaml) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(crd.fileName());
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }
}
