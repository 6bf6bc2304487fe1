package dev.vrrp.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.agent.config.ConfigLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ImportCommandTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new NodeAgentCommand());
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int code = command.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private Path conf(String text) throws Exception {
    Path file = dir.resolve("keepalived.conf");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void everythingConvertedExitsZeroWithTheConfigOnStdout() throws Exception {
    Path file =
        conf(
            """
            vrrp_instance VI_1 {
                state BACKUP
                interface eth0
                virtual_router_id 51
                priority 100
                virtual_ipaddress {
                    192.0.2.100/24
                }
            }
            """);
    Run run = run("import", file.toString(), "--to", "standalone");
    assertThat(run.code()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(ConfigLoader.parse(run.out()).instances().get(0).virtualRouterId()).isEqualTo(51);
  }

  @Test
  void somethingNotConvertedExitsOneAndSaysSoOnStderr() throws Exception {
    Path file =
        conf(
            """
            vrrp_sync_group G {
                group {
                    VI_1
                }
            }
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                virtual_ipaddress {
                    192.0.2.100/24
                }
            }
            """);
    Run run = run("import", file.toString(), "--to", "virtualip");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out()).contains("kind: VirtualIP", "name: vi-1");
    assertThat(run.err().lines())
        .first()
        .isEqualTo(
            "keepalived.conf:1: error: vrrp_sync_group: G: not converted: there are no sync groups"
                + " yet, its instances fail over one by one; addresses that must move together"
                + " belong in one vrrp_instance");
  }

  @Test
  void aFileThatDoesNotParseExitsTwoWithLineAndColumn() throws Exception {
    Path file = conf("vrrp_instance VI_1 {\n    interface eth0\n");
    Run run = run("import", file.toString(), "--to", "standalone");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo("keepalived.conf:1:20: error: the '{' of vrrp_instance is never closed\n");
  }

  @Test
  void aMissingFileOrTargetExitsTwo() throws Exception {
    Run missing = run("import", dir.resolve("none.conf").toString(), "--to", "standalone");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("none.conf: error: cannot read");
    Run badTarget = run("import", conf("").toString(), "--to", "helm");
    assertThat(badTarget.code()).isEqualTo(2);
    assertThat(badTarget.err()).contains("must be standalone or virtualip, got 'helm'");
    Run noTarget = run("import", conf("").toString());
    assertThat(noTarget.code()).isEqualTo(2);
    assertThat(noTarget.err()).contains("Missing required option: '--to=standalone|virtualip'");
  }

  @Test
  void theSecretNamespaceCanBeChosen() throws Exception {
    Path file =
        conf(
            """
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                authentication {
                    auth_type PASS
                    auth_pass 1111
                }
                virtual_ipaddress {
                    192.0.2.100/24
                }
            }
            """);
    Run run = run("import", file.toString(), "--to", "virtualip", "--secret-namespace", "vrrp");
    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("kind: Secret", "namespace: vrrp", "passwordSecretRef:");
  }
}
