package dev.vrrp.api.crd;

import dev.vrrp.api.v1alpha1.VirtualIP;
import io.fabric8.crdv2.generator.CRDGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Generates the VirtualIP CRD from the Java types with fabric8's CRD generator plus {@link
 * CrdPostProcessing}. The build runs {@link #main} after compiling the tests (exec-maven-plugin in
 * api/pom.xml); {@code CrdIsUpToDateTest} fails when the checked-in copy differs.
 */
public final class VirtualIpCrdGenerator {
  public static final String FILE_NAME = "virtualips.vrrp.dev-v1.yml";
  public static final String REFRESH_COMMAND =
      "./mvnw -pl api process-test-classes -Dcrd.update=true";

  private static final String HEADER =
      """
      # Generated from the Java types in api/src/main/java/dev/vrrp/api/v1alpha1 by the api module's build
      # (dev.vrrp.api.crd.VirtualIpCrdGenerator). Do not edit: change the types, then run
      #   %s
      """
          .formatted(REFRESH_COMMAND);

  private VirtualIpCrdGenerator() {}

  /**
   * Arguments: the output directory, the checked-in directory, and "true" to also write the CRD
   * there.
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      throw new IllegalArgumentException(
          "usage: VirtualIpCrdGenerator OUTPUT_DIR CHECKED_IN_DIR UPDATE(true|false)");
    }
    String yaml = generate();
    Path generated = write(Path.of(args[0]), yaml);
    System.out.println("[crd] generated " + generated);
    if (Boolean.parseBoolean(args[2])) {
      Path checkedIn = write(Path.of(args[1]), yaml);
      System.out.println(
          "[crd] updated the checked-in copy " + checkedIn.toAbsolutePath().normalize());
    }
  }

  /** The CRD YAML for the current Java types. */
  public static String generate() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int count =
        new CRDGenerator()
            .forCRDVersions("v1")
            .withMinQuotes(true)
            .customResourceClasses(VirtualIP.class)
            .withPostProcessor(new CrdPostProcessing(VirtualIP.class))
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

  private static Path write(Path dir, String yaml) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(FILE_NAME);
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }
}
