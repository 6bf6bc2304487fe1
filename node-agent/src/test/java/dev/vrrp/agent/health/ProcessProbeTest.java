package dev.vrrp.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessProbeTest {
  @TempDir Path proc;

  private void process(int pid, String name, String... argv) throws Exception {
    Path dir = Files.createDirectories(proc.resolve(String.valueOf(pid)));
    Files.writeString(dir.resolve("status"), "Name:\t" + name + "\nState:\tS (sleeping)\n");
    Files.write(
        dir.resolve("cmdline"),
        argv.length == 0
            ? new byte[0]
            : (String.join("\0", argv) + "\0").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void oneWordIsTheProcessNameExactly() throws Exception {
    process(1, "systemd", "/sbin/init");
    process(42, "haproxy", "/usr/sbin/haproxy", "-f", "/etc/haproxy/haproxy.cfg");
    process(43, "haproxy", "/usr/sbin/haproxy", "-f", "/etc/haproxy/haproxy.cfg");
    process(50, "sshd", "sshd: /usr/sbin/sshd -D");
    Files.createDirectories(proc.resolve("self"));

    assertThat(new ProcessProbe(proc, List.of("haproxy")).probe())
        .isEqualTo(ProbeResult.ok("haproxy: 2 running"));
    assertThat(new ProcessProbe(proc, List.of("ssh")).probe())
        .as("no prefix match, unlike pgrep")
        .isEqualTo(ProbeResult.failed("ssh: not running"));
  }

  @Test
  void aLongNameIsCutAsTheKernelCutsIt() throws Exception {
    process(7, "kube-controller", "/usr/bin/kube-controller-manager");
    assertThat(new ProcessProbe(proc, List.of("kube-controller-manager")).probe().ok()).isTrue();
  }

  @Test
  void moreWordsAreTheCommandLineWordForWord() throws Exception {
    process(42, "nginx", "/usr/sbin/nginx", "-g", "daemon off;");
    process(9, "kthreadd");
    assertThat(new ProcessProbe(proc, List.of("/usr/sbin/nginx", "-g", "daemon off;")).probe().ok())
        .isTrue();
    assertThat(new ProcessProbe(proc, List.of("/usr/sbin/nginx", "-g")).probe().ok()).isFalse();
  }

  @Test
  void theRealProcFindsThisJvm() {
    assertThat(new ProcessProbe(Path.of("/proc"), List.of("java")).probe().ok()).isTrue();
  }
}
