package dev.vrrp.agent.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * keepalived's track_interface: the link is up when the kernel says so in sysfs. Reading two small
 * files costs microseconds, so this probe can poll often (the default interval is 200ms).
 */
final class LinkProbe implements Probe {
  static final Path SYS_CLASS_NET = Path.of("/sys/class/net");

  private final String interfaceName;
  private final Path sysClassNet;

  LinkProbe(String interfaceName) {
    this(interfaceName, SYS_CLASS_NET);
  }

  /**
   * @param sysClassNet where to find the interfaces; tests pass a fake tree
   */
  LinkProbe(String interfaceName, Path sysClassNet) {
    // A name that is not one path element could make us read some other file.
    if (interfaceName == null
        || interfaceName.isEmpty()
        || interfaceName.contains("/")
        || interfaceName.equals(".")
        || interfaceName.equals("..")) {
      throw new IllegalArgumentException("not an interface name: '" + interfaceName + "'");
    }
    this.interfaceName = interfaceName;
    this.sysClassNet = sysClassNet;
  }

  @Override
  public ProbeResult probe() {
    Path device = sysClassNet.resolve(interfaceName);
    if (!Files.isDirectory(device)) {
      return missing();
    }
    String operstate;
    try {
      operstate = read(device.resolve("operstate"));
    } catch (NoSuchFileException e) {
      return missing();
    } catch (IOException e) {
      return ProbeResult.failed(interfaceName + ": cannot read operstate: " + e.getMessage());
    }
    // "unknown" is what drivers that do not track the operational state report (kernel
    // operstates.rst says to
    // treat such an interface as usable); for them the carrier below is the only word on the link.
    if (!operstate.equals("up") && !operstate.equals("unknown")) {
      return ProbeResult.failed(interfaceName + ": link " + operstate);
    }
    String carrier;
    try {
      carrier = read(device.resolve("carrier"));
    } catch (NoSuchFileException e) {
      return missing();
    } catch (IOException e) {
      // The kernel refuses to read carrier (EINVAL) while the interface is administratively down.
      return ProbeResult.failed(interfaceName + ": administratively down");
    }
    if (!carrier.equals("1")) {
      return ProbeResult.failed(interfaceName + ": no carrier");
    }
    return ProbeResult.ok(interfaceName + ": link " + operstate + ", carrier");
  }

  private ProbeResult missing() {
    return ProbeResult.failed(interfaceName + ": no such interface");
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file).strip();
  }
}
