package dev.vrrp.agent.keepalived;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigParserTest {
  @TempDir Path dir;

  private static List<Statement> parse(String text) throws Exception {
    return ConfigParser.parse(
            Path.of("/etc/keepalived/keepalived.conf"),
            new MemorySources().file("/etc/keepalived/keepalived.conf", text))
        .statements();
  }

  @Test
  void bracesOnTheSameOrTheNextLineAndOneLineBlocks() throws Exception {
    List<Statement> top =
        parse(
            """
            vrrp_instance A {
              interface eth0
            }
            vrrp_instance B
            {
              virtual_ipaddress
              {
                192.0.2.1/24
              }
              track_script { chk_a chk_b }
            }
            vrrp_instance C{ priority 5 }
            """);
    assertThat(top).extracting(s -> s.arg(0)).containsExactly("A", "B", "C");
    Statement b = top.get(1);
    assertThat(b.children())
        .extracting(Statement::keyword)
        .containsExactly("virtual_ipaddress", "track_script");
    assertThat(b.children().get(0).children().get(0).keyword()).isEqualTo("192.0.2.1/24");
    assertThat(b.children().get(1).children().get(0).words())
        .as("one line, one statement, as keepalived reads it")
        .extracting(Word::text)
        .containsExactly("chk_a", "chk_b");
    assertThat(top.get(2).children().get(0).arg(0)).isEqualTo("5");
  }

  @Test
  void commentsQuotesAndPositions() throws Exception {
    List<Statement> top =
        parse(
            """
            ! a comment
            vrrp_script chk { # another
              script "/bin/check --flag '#1' !x"   ! trailing
            }
            """);
    Statement script = top.get(0).children().get(0);
    assertThat(script.args()).hasSize(1);
    Word command = script.args().get(0);
    assertThat(command.text()).isEqualTo("/bin/check --flag '#1' !x");
    assertThat(command.quoted()).isTrue();
    assertThat(command.at()).isEqualTo(new Location("keepalived.conf", 3, 10));
    assertThat(script.at().line()).isEqualTo(3);
  }

  @Test
  void errorsNameTheLineAndColumn() {
    assertThatThrownBy(() -> parse("vrrp_instance A {\n  script \"/bin/x\n}\n"))
        .hasMessage("keepalived.conf:2:10: the quoted string is not closed on its line");
    assertThatThrownBy(() -> parse("vrrp_instance A {\n}\n  }\n"))
        .hasMessage("keepalived.conf:3:3: '}' without a '{' that it closes");
    assertThatThrownBy(() -> parse("{\n}\n"))
        .hasMessage("keepalived.conf:1:1: '{' without a keyword before it");
    assertThatThrownBy(() -> parse("global_defs {\n  router_id a\n\nvrrp_instance B {\n}\n"))
        .isInstanceOf(KeepalivedSyntaxException.class)
        .hasMessage("keepalived.conf:1:13: the '{' of global_defs is never closed");
  }

  @Test
  void includesAreRelativeToTheIncludingFileAndGlobbedInOrder() throws Exception {
    MemorySources files =
        new MemorySources()
            .file(
                "/k/keepalived.conf",
                "global_defs {\n}\ninclude conf.d/*.conf\ninclude none/*.conf\n")
            .file("/k/conf.d/b.conf", "vrrp_instance B {\n}\n")
            .file("/k/conf.d/a.conf", "vrrp_instance A {\n  include ../inner/x.inc\n}\n")
            .file("/k/inner/x.inc", "priority 7\n");
    ConfigParser.Parsed parsed = ConfigParser.parse(Path.of("/k/keepalived.conf"), files);
    assertThat(parsed.statements())
        .extracting(s -> s.keyword() + " " + s.arg(0))
        .containsExactly("global_defs null", "vrrp_instance A", "vrrp_instance B");
    Statement priority = parsed.statements().get(1).children().get(0);
    assertThat(priority.at()).isEqualTo(new Location("inner/x.inc", 1, 1));
    assertThat(parsed.notices())
        .extracting(Notice::toString)
        .containsExactly(
            "keepalived.conf:4: warning: include: none/*.conf names no file; keepalived skips it too");
  }

  @Test
  void anIncludeCycleIsAnError() {
    MemorySources files =
        new MemorySources()
            .file("/k/keepalived.conf", "include other.conf\n")
            .file("/k/other.conf", "include keepalived.conf\n");
    assertThatThrownBy(() -> ConfigParser.parse(Path.of("/k/keepalived.conf"), files))
        .hasMessage("other.conf:1:1: include cycle: keepalived.conf includes itself");
  }

  @Test
  void fileSourcesGlobLikeKeepalived() throws Exception {
    Files.createDirectories(dir.resolve("conf.d/x"));
    Files.writeString(dir.resolve("conf.d/b.conf"), "");
    Files.writeString(dir.resolve("conf.d/a.conf"), "");
    Files.writeString(dir.resolve("conf.d/c.txt"), "");
    Files.writeString(dir.resolve("conf.d/x/d.conf"), "");
    FileSources sources = new FileSources();
    assertThat(sources.glob(dir.resolve("conf.d/*.conf")))
        .containsExactly(dir.resolve("conf.d/a.conf"), dir.resolve("conf.d/b.conf"));
    assertThat(sources.glob(dir.resolve("conf.d/{b.conf,c.txt}")))
        .containsExactly(dir.resolve("conf.d/b.conf"), dir.resolve("conf.d/c.txt"));
    assertThat(sources.glob(dir.resolve("*/x/*.conf")))
        .containsExactly(dir.resolve("conf.d/x/d.conf"));
    assertThat(sources.glob(dir.resolve("conf.d/a.conf")))
        .containsExactly(dir.resolve("conf.d/a.conf"));
    assertThat(sources.glob(dir.resolve("none/*.conf"))).isEmpty();
  }
}
