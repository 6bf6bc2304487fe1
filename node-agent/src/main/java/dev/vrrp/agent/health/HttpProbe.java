package dev.vrrp.agent.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * GETs a URL; a 2xx answer within the timeout is healthy. Redirects are answers, not followed: 3xx
 * fails.
 */
final class HttpProbe implements Probe {
  private final URI url;
  private final Duration timeout;
  private final HttpClient client;

  HttpProbe(URI url, Duration timeout) {
    this.url = url;
    this.timeout = timeout;
    // No proxy: a health check asks the service itself, never whatever http.proxyHost points at.
    this.client =
        HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(timeout)
            .build();
  }

  @Override
  public ProbeResult probe() throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .GET()
            .timeout(timeout)
            .header("User-Agent", "vrrp-node-agent health check")
            .build();
    // The request timeout ends at the response headers; waiting on the future bounds the body as
    // well.
    CompletableFuture<HttpResponse<Void>> response =
        client.sendAsync(request, BodyHandlers.discarding());
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
}
