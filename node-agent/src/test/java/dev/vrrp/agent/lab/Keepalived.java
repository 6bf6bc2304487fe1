package dev.vrrp.agent.lab;

import dev.vrrp.lab.ExternalTools;
import dev.vrrp.lab.Netns;
import dev.vrrp.lab.Segment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The real keepalived (Debian package) in a test host, with private pid files. */
public final class Keepalived {
  private Keepalived() {}

  public static String binary() {
    return ExternalTools.require("keepalived");
  }

  /** The installed keepalived's version, e.g. "v2.2.7 (01/16,2022)". */
  public static String version() {
    String out = Netns.tryRun(binary(), "--version").output();
    return out.lines().findFirst().orElse("?").replace("Keepalived ", "");
  }

  public static Process start(Segment segment, String host, String conf, Path dir)
      throws IOException {
    Path file = dir.resolve(host + "-keepalived.conf");
    Files.writeString(file, conf);
    return segment.start(
        host,
        List.of(
            binary(),
            "--dont-fork",
            "--log-console",
            "--no-syslog",
            "--vrrp",
            "--use-file=" + file,
            "--pid=" + dir.resolve(host + "-k.pid"),
            "--vrrp_pid=" + dir.resolve(host + "-v.pid")),
        dir.resolve(host + "-keepalived.log"));
  }

  public static String conf(
      int version, int vrid, int priority, String intervalSeconds, String address, String extra) {
    return """
        global_defs {
          router_id %s
          vrrp_version %d
          script_user root
        }
        vrrp_instance VI {
          state BACKUP
          interface eth0
          virtual_router_id %d
          priority %d
          advert_int %s
          virtual_ipaddress {
            %s
          }
          %s
        }
        """
        .formatted("kt" + vrid, version, vrid, priority, intervalSeconds, address, extra);
  }
}
