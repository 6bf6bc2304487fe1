package dev.vrrp.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The client's side of a benchmark, run as its own JVM inside the client's network namespace (ip
 * netns exec ... java HttpProber): each address named on stdin ({@code probe 192.0.2.20}) is asked
 * {@code GET /healthz} on port 80 every 50 ms (0.3 s connect timeout) until it answers 200; then it
 * prints {@code answered 192.0.2.20 <epoch ms>}. One process and a few threads instead of a process
 * per request: the instrument must not take the CPU the system under test needs. JDK only.
 */
public final class HttpProber {
  private static final int PORT = 80;
  private static final int CONNECT_TIMEOUT_MS = 300;
  private static final int READ_TIMEOUT_MS = 1000;
  private static final long RETRY_MS = 50;

  private HttpProber() {}

  public static void main(String[] args) throws IOException {
    ScheduledExecutorService probes = Executors.newScheduledThreadPool(8);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.startsWith("probe ")) {
        String address = line.substring("probe ".length()).trim();
        probes.execute(() -> probe(probes, address));
      }
    }
    probes.shutdownNow();
  }

  private static void probe(ScheduledExecutorService probes, String address) {
    if (answers(address)) {
      synchronized (System.out) {
        System.out.println("answered " + address + " " + System.currentTimeMillis());
        System.out.flush();
      }
      return;
    }
    probes.schedule(() -> probe(probes, address), RETRY_MS, TimeUnit.MILLISECONDS);
  }

  private static boolean answers(String address) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, PORT), CONNECT_TIMEOUT_MS);
      socket.setSoTimeout(READ_TIMEOUT_MS);
      OutputStream out = socket.getOutputStream();
      out.write("GET /healthz HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream response = socket.getInputStream();
      byte[] head = response.readNBytes(12);
      return new String(head, StandardCharsets.US_ASCII).equals("HTTP/1.1 200");
    } catch (IOException e) {
      return false;
    }
  }
}
