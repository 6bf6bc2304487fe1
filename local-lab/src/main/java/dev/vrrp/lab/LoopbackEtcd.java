package dev.vrrp.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A kube-api-test directory whose etcd listens on loopback only. kube-api-test 7.5.2 starts etcd
 * with {@code --listen-client-urls http://0.0.0.0:PORT} and no way to change it: an etcd without
 * authentication on every address of the machine while the tests run. This directory holds links to
 * the real binaries and, as {@code etcd}, a wrapper that rewrites that one flag's address to
 * 127.0.0.1 (what the API server uses anyway: kube-api-test points it at localhost).
 */
final class LoopbackEtcd {
  static final String WRAPPER =
      """
      #!/bin/sh
      # kube-api-test's etcd, on loopback only (LoopbackEtcd.java)
      real="$(dirname "$(readlink -f "$0")")/etcd.real"
      i=0; n=$#
      while [ "$i" -lt "$n" ]; do
        arg="$1"; shift; i=$((i + 1))
        case "$arg" in
          http://0.0.0.0:*) arg="http://127.0.0.1:${arg#http://0.0.0.0:}" ;;
        esac
        set -- "$@" "$arg"
      done
      exec "$real" "$@"
      """;

  private LoopbackEtcd() {}

  /** The directory to give kube-api-test instead of {@link KubernetesVersion#testDir()}. */
  static Path testDir() {
    Path real = KubernetesVersion.binaries();
    Path dir = KubernetesVersion.testDir().resolveSibling("kubeapitest-loopback");
    Path binaries = dir.resolve(KubernetesVersion.testDir().relativize(real));
    try {
      Files.createDirectories(binaries);
      for (String name : List.of("kube-apiserver", "kubectl")) {
        link(binaries.resolve(name), real.resolve(name));
      }
      link(binaries.resolve("etcd.real"), real.resolve("etcd"));
      Path wrapper = binaries.resolve("etcd");
      if (!Files.exists(wrapper) || !Files.readString(wrapper).equals(WRAPPER)) {
        Path next = Files.createTempFile(binaries, "etcd", ".tmp");
        Files.writeString(next, WRAPPER);
        Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(
            next, wrapper, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + binaries, e);
    }
  }

  private static void link(Path link, Path target) throws IOException {
    if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(target)) {
      return;
    }
    Path next =
        link.resolveSibling(link.getFileName() + "." + ProcessHandle.current().pid() + ".link");
    Files.deleteIfExists(next);
    Files.createSymbolicLink(next, target);
    Files.move(next, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
