package dev.vrrp.agent.health;

import dev.vrrp.lab.Netns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child JVM running {@link ProbeConsole} inside a namespace, with this test JVM's classpath: the
 * probes see that namespace's /sys/class/net and /proc/net, while the test JVM stays out of the
 * network entirely.
 */
final class ProbesInNamespace implements AutoCloseable {
  private static final long ANSWER_SECONDS = 60; // the first answer includes the child JVM's start

  private final Process child;
  private final Path errors;
  private final Writer requests;
  private final BufferedReader answers;

  private ProbesInNamespace(Process child, Path errors) {
    this.child = child;
    this.errors = errors;
    this.requests = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
    this.answers =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
  }

  static ProbesInNamespace start(String namespace) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        Netns.processIn(
                namespace,
                List.of(
                    java,
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "-cp",
                    System.getProperty("java.class.path"),
                    ProbeConsole.class.getName()))
            .command();
    // The child's stderr goes to a file: writing into the test fork's stderr would mix with the
    // runner's output.
    Path errors = Files.createTempFile("probe-console-", ".log");
    Process child = new ProcessBuilder(command).redirectError(errors.toFile()).start();
    return new ProbesInNamespace(child, errors);
  }

  ProbeResult link(String interfaceName) throws IOException {
    return ask("link " + interfaceName);
  }

  /**
   * @param gateway null: the default route's gateway. @param interfaceName null: none
   */
  ProbeResult gateway(String gateway, String interfaceName, int timeoutMillis) throws IOException {
    return ask(
        "gateway "
            + (gateway == null ? "-" : gateway)
            + " "
            + (interfaceName == null ? "-" : interfaceName)
            + " "
            + timeoutMillis);
  }

  private ProbeResult ask(String request) throws IOException {
    requests.write(request + "\n");
    requests.flush();
    String answer;
    try {
      answer =
          CompletableFuture.supplyAsync(this::readAnswer).get(ANSWER_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted waiting for '" + request + "'", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException(
          "no answer to '" + request + "'; child stderr: " + Files.readString(errors), e);
    }
    if (answer == null) {
      throw new IOException(
          "child ended before answering '" + request + "': " + Files.readString(errors));
    }
    boolean ok = answer.startsWith("OK ");
    return new ProbeResult(ok, answer.substring(ok ? 3 : 5));
  }

  private String readAnswer() {
    try {
      return answers.readLine();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      requests.close(); // end of input: the console exits
      if (!child.waitFor(5, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      child.destroyForcibly();
    } catch (IOException e) {
      child.destroyForcibly();
    } finally {
      Files.deleteIfExists(errors);
    }
  }
}
