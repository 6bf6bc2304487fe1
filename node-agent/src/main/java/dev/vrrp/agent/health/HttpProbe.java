package dev.vrrp.agent.health;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * GETs a URL; a 2xx answer within the timeout is healthy. Redirects are answers, not followed: 3xx
 * fails. Over TLS the server's certificate is checked against the JVM's CAs, or only those of a PEM
 * file ({@link Trust#caFile}, e.g. a cluster's CA for its API server), or not at all ({@code
 * insecureSkipVerify}: only the answer counts). A CA file that cannot be read fails each probe with
 * the reason, and is read again at the next one: it may appear or be fixed later.
 */
final class HttpProbe implements Probe {
  private final URI url;
  private final Duration timeout;
  private final Trust trust;
  private final boolean insecureSkipVerify;
  private HttpClient client; // built on first use; the tracker runs one probe of a check at a time

  HttpProbe(URI url, Duration timeout) {
    this(url, timeout, Trust.JVM, false);
  }

  HttpProbe(URI url, Duration timeout, Trust trust, boolean insecureSkipVerify) {
    this.url = url;
    this.timeout = timeout;
    this.trust = trust;
    this.insecureSkipVerify = insecureSkipVerify;
  }

  /** Which CAs a TLS server's certificate must chain to. */
  sealed interface Trust {
    Trust JVM = new Jvm();

    static Trust caFile(Path file) {
      return new CaFile(file);
    }

    record Jvm() implements Trust {}

    record CaFile(Path file) implements Trust {}
  }

  private HttpClient client() throws GeneralSecurityException, IOException {
    if (client == null) {
      // No proxy: a health check asks the service itself, never whatever http.proxyHost points at.
      HttpClient.Builder builder =
          HttpClient.newBuilder()
              .proxy(HttpClient.Builder.NO_PROXY)
              .followRedirects(HttpClient.Redirect.NEVER)
              .connectTimeout(timeout);
      if (insecureSkipVerify) {
        builder.sslContext(context(new TrustManager[] {new TrustingAnything()}));
      } else if (trust instanceof Trust.CaFile ca) {
        builder.sslContext(context(trustManagers(ca.file())));
      }
      client = builder.build();
    }
    return client;
  }

  private static SSLContext context(TrustManager[] managers) throws GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, managers, null);
    return context;
  }

  private static TrustManager[] trustManagers(Path file)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    int n = 0;
    try (InputStream in = Files.newInputStream(file)) {
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + n++, certificate);
      }
    }
    if (n == 0) {
      throw new CertificateException("no certificate in " + file);
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory.getTrustManagers();
  }

  @Override
  public ProbeResult probe() throws InterruptedException {
    HttpClient http;
    try {
      http = client();
    } catch (GeneralSecurityException | IOException e) {
      return ProbeResult.failed(
          "cannot use the CA file "
              + (trust instanceof Trust.CaFile ca ? ca.file() : "")
              + ": "
              + e.getMessage());
    }
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .GET()
            .timeout(timeout)
            .header("User-Agent", "vrrp-node-agent health check")
            .build();
    // The request timeout ends at the response headers; waiting on the future bounds the body as
    // well.
    CompletableFuture<HttpResponse<Void>> response =
        http.sendAsync(request, BodyHandlers.discarding());
    try {
      int status = response.get(timeout.toMillis(), TimeUnit.MILLISECONDS).statusCode();
      String detail = "HTTP " + status;
      return status >= 200 && status < 300 ? ProbeResult.ok(detail) : ProbeResult.failed(detail);
    } catch (TimeoutException e) {
      response.cancel(true);
      return ProbeResult.failed("no answer within " + timeout.toMillis() + "ms");
    } catch (ExecutionException e) {
      return ProbeResult.failed(Failures.describe(e.getCause(), timeout));
    } catch (InterruptedException e) {
      response.cancel(true);
      throw e;
    }
  }

  /**
   * insecureSkipVerify: an extended trust manager is also asked about the host name, so accepting
   * here skips that check too.
   */
  private static final class TrustingAnything extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
