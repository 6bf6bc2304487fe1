package dev.vrrp.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * http checks of an https:// URL on loopback, with a certificate made by the JDK's keytool for this
 * run: trusted through caFile, refused by the JVM's CAs, accepted blindly with insecureSkipVerify.
 */
class HttpsProbeTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir static Path dir;
  private static HttpsServer server;
  private static URI url;
  private static Path ca;

  @BeforeAll
  static void startServer() throws Exception {
    Path keystore = dir.resolve("server.p12");
    ca = dir.resolve("ca.pem");
    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=localhost",
        "-ext",
        "san=ip:127.0.0.1",
        "-validity",
        "2",
        "-keystore",
        keystore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        "changeit");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "server",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit",
        "-file",
        ca.toString());
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, PASSWORD);
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, PASSWORD);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext(
        "/livez",
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    url = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/livez");
  }

  @AfterAll
  static void stopServer() {
    server.stop(0);
  }

  private static void keytool(String... args) throws Exception {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  @Test
  void theCaFileMakesTheServerTrusted() throws Exception {
    assertThat(new HttpProbe(url, TIMEOUT, HttpProbe.Trust.caFile(ca), false).probe())
        .isEqualTo(ProbeResult.ok("HTTP 200"));
  }

  @Test
  void theJvmsCasDoNotKnowIt() throws Exception {
    ProbeResult result = new HttpProbe(url, TIMEOUT).probe();
    assertThat(result.ok()).isFalse();
    assertThat(result.detail()).isNotBlank();
  }

  @Test
  void insecureSkipVerifyOnlyAsksForTheAnswer() throws Exception {
    URI byName = URI.create("https://localhost:" + server.getAddress().getPort() + "/livez");
    assertThat(new HttpProbe(byName, TIMEOUT, HttpProbe.Trust.JVM, true).probe())
        .isEqualTo(ProbeResult.ok("HTTP 200"));
  }

  @Test
  void aCaFileThatCannotBeReadFailsEachProbeWithTheReason() throws Exception {
    Path missing = dir.resolve("missing.pem");
    ProbeResult result =
        new HttpProbe(url, TIMEOUT, HttpProbe.Trust.caFile(missing), false).probe();
    assertThat(result.ok()).isFalse();
    assertThat(result.detail()).startsWith("cannot use the CA file " + missing);
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    assertThat(new HttpProbe(url, TIMEOUT, HttpProbe.Trust.caFile(empty), false).probe().detail())
        .contains("no certificate in " + empty);
  }
}
