package dev.vrrp.api.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The tests' API server and its etcd listen on loopback only (DESIGN.md's network rules): no port
 * of theirs is open on a wildcard address. /proc/net/tcp{,6} lists the listening sockets with their
 * inodes, and /proc/PID/fd links to the sockets each process holds.
 */
@Tag("integration")
class LoopbackOnlyIT {
  @RegisterExtension static final RealApiServer API = new RealApiServer();

  @Test
  void neitherEtcdNorTheApiServerListensOnAWildcardAddress() throws IOException {
    API.client().namespaces().list(); // it runs
    List<ProcessHandle> servers =
        ProcessHandle.current()
            .descendants()
            .filter(
                p ->
                    p.info()
                        .command()
                        .map(c -> c.contains("etcd") || c.contains("kube-apiserver"))
                        .orElse(false))
            .toList();
    assertThat(servers)
        .as("etcd and kube-apiserver run as this JVM's children")
        .hasSizeGreaterThanOrEqualTo(2);

    List<String> wildcard = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines = Files.readAllLines(Path.of(table));
      for (String line : lines.subList(1, lines.size())) {
        // sl local_address rem_address st ... inode: "00000000:0CEA ... 0A ... 12345"
        String[] f = line.trim().split("\\s+");
        String[] local = f[1].split(":");
        boolean anyAddress = local[0].chars().allMatch(c -> c == '0');
        if (f[3].equals("0A") && anyAddress) {
          for (ProcessHandle server : servers) {
            if (holdsSocket(server.pid(), f[9])) {
              wildcard.add(
                  server.info().command().orElse("?")
                      + " on port "
                      + Integer.parseInt(local[1], 16));
            }
          }
        }
      }
    }
    assertThat(wildcard).as("listening on 0.0.0.0 or ::").isEmpty();
  }

  private static boolean holdsSocket(long pid, String inode) {
    try (var fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
      return fds.anyMatch(
          fd -> {
            try {
              return Files.readSymbolicLink(fd)
                  .toString()
                  .toLowerCase(Locale.ROOT)
                  .equals("socket:[" + inode + "]");
            } catch (IOException e) {
              return false;
            }
          });
    } catch (IOException e) {
      return false;
    }
  }
}
