package dev.vrrp.agent.config;

import java.time.Duration;
import java.util.List;

/**
 * One health check of an instance (keepalived's vrrp_script / track_interface, and more).
 *
 * @param weight 0: failing means FAULT. Positive: added to the priority while healthy. Negative:
 *     added while failing. keepalived's semantics. A file check's number is multiplied by it.
 * @param path file: the file holding a number
 * @param process process: the name, or the command line when more than one item
 * @param caFile http over TLS: the PEM file of the CAs to trust instead of the JVM's, or null
 * @param insecureSkipVerify http over TLS: accept any certificate and host name
 */
public record CheckSettings(
    String name,
    CheckType type,
    List<String> command,
    String url,
    String host,
    int port,
    String interfaceName,
    String gateway,
    Duration interval,
    Duration timeout,
    int fall,
    int rise,
    int weight,
    String path,
    List<String> process,
    String caFile,
    boolean insecureSkipVerify) {

  public enum CheckType {
    EXEC,
    HTTP,
    TCP,
    INTERFACE,
    GATEWAY,
    FILE,
    PROCESS
  }
}
