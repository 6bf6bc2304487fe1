package dev.vrrp.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vrrp.api.AgentDefaults;
import dev.vrrp.api.text.Durations;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/**
 * One health check, as in the agent's standalone config (keepalived vrrp_script / track_interface).
 * The defaults below are the only ones: the agent's mapping to its check settings reads them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.type != 'exec' || (has(self.command) && size(self.command) > 0)",
    message = "exec checks need a command",
    fieldPath = ".command")
@ValidationRule(
    value = "self.type != 'file' || has(self.path)",
    message = "file checks need a path",
    fieldPath = ".path")
// the resources' checks run in the agent pods, which see one node directory
@ValidationRule(
    value =
        "self.type != 'file' || !has(self.path) || !self.path.startsWith('/') || self.path.startsWith('"
            + AgentDefaults.TRACK_FILE_DIR
            + "')",
    messageExpression =
        "'must lie in "
            + AgentDefaults.TRACK_FILE_DIR
            + " (the node directory the agent sees), got \\'' + self.path + '\\''",
    fieldPath = ".path")
@ValidationRule(
    value = "self.type != 'process' || (has(self.process) && size(self.process) > 0)",
    message = "process checks need a process (its name, then any arguments)",
    fieldPath = ".process")
@ValidationRule(
    value =
        "!has(self.caFile) || (self.type == 'http' && has(self.url) && self.url.startsWith('https://'))",
    message = "caFile is for http checks of https:// URLs",
    fieldPath = ".caFile")
@ValidationRule(
    value =
        "!has(self.insecureSkipVerify) || !self.insecureSkipVerify || (self.type == 'http' && !has(self.caFile))",
    message = "insecureSkipVerify is for http checks without a caFile",
    fieldPath = ".insecureSkipVerify")
@ValidationRule(
    value = "self.type != 'http' || has(self.url)",
    message = "http checks need a url",
    fieldPath = ".url")
@ValidationRule(
    value = "self.type != 'tcp' || has(self.address)",
    message = "tcp checks need an address (host:port)",
    fieldPath = ".address")
@ValidationRule(
    value =
        "self.type != 'tcp' || !has(self.address) || self.address.matches('"
            + HealthCheck.HOST_PORT
            + "')",
    messageExpression = "'must be host:port with a port 0-65535, got ' + self.address",
    fieldPath = ".address")
@ValidationRule(
    value = "self.type != 'gateway' || !has(self.address) || isIP(self.address)",
    messageExpression =
        "'must be an IP address like 192.0.2.10 or 2001:db8::10, got ' + self.address",
    fieldPath = ".address")
public class HealthCheck {
  public static final String DEFAULT_INTERVAL = "1s";

  /** A link check is cheap (a file read) and a lost link should move the address soon. */
  public static final String DEFAULT_INTERFACE_INTERVAL = "200ms";

  public static final int DEFAULT_FALL = 1;
  public static final int DEFAULT_RISE = 1;
  public static final int DEFAULT_WEIGHT = 0;

  /** host:port, the port 0-65535 (HostPort's grammar). */
  static final String HOST_PORT =
      "^.+:([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$";

  @Size(max = 63)
  @JsonPropertyDescription("Name, unique within the VirtualIP. Default: type-index.")
  private String name;

  @Required
  @Pattern("^(exec|http|tcp|interface|gateway|file|process)$")
  @JsonPropertyDescription("exec, http, tcp, interface, gateway, file or process.")
  private String type;

  @JsonPropertyDescription("exec: the command (argv).")
  private List<String> command = new ArrayList<>();

  @Size(max = 4096)
  @Pattern("^/.*")
  @JsonPropertyDescription(
      "file: an absolute path; the file holds a number (keepalived's track_file). Weight 0: a"
          + " number other than 0 is failing. Otherwise number x weight is added to the priority,"
          + " FAULT below -253. In a VirtualIP the file must lie in "
          + AgentDefaults.TRACK_FILE_DIR
          + " on the node.")
  private String path;

  @Size(max = 64)
  @JsonPropertyDescription(
      "process: a process that must run (keepalived's track_process): its name as in"
          + " /proc/PID/status, or, with arguments after it, its command line exactly.")
  private List<String> process = new ArrayList<>();

  @Size(max = 2048)
  @Pattern("^https?://[^/?#\\s]+([/?#].*)?$")
  @JsonPropertyDescription("http: the URL (http:// or https://); 2xx is healthy.")
  private String url;

  @Size(max = 4096)
  @Pattern("^/.*")
  @JsonPropertyDescription(
      "http with an https:// URL: a PEM file of the CAs to trust instead of the JVM's (in a"
          + " VirtualIP a file in the agent's container, e.g. the service account's ca.crt).")
  private String caFile;

  @JsonPropertyDescription(
      "http with an https:// URL: accept any certificate and host name (only the answer counts).")
  private Boolean insecureSkipVerify;

  @Size(max = 261)
  @JsonPropertyDescription(
      "tcp: host:port; gateway: the gateway IP (default: the default route's).")
  private String address;

  @Pattern(SpecRules.INTERFACE_PATTERN)
  @JsonPropertyDescription("interface: which link (default: the VirtualIP's interface).")
  private String interfaceName;

  @Pattern(Durations.PATTERN)
  @Size(max = 16)
  @ValidationRule(
      value = "!self.matches('" + Durations.PATTERN + "') || duration(self) > duration('0s')",
      message = "must be longer than 0s")
  @JsonPropertyDescription("How often to probe, e.g. 1s (default; 200ms for interface checks).")
  private String interval;

  @Pattern(Durations.PATTERN)
  @Size(max = 16)
  @ValidationRule(
      value = "!self.matches('" + Durations.PATTERN + "') || duration(self) > duration('0s')",
      message = "must be longer than 0s")
  @JsonPropertyDescription("Probe timeout, e.g. 1s (default: the interval).")
  private String timeout;

  @Min(1)
  @Max(255)
  private Integer fall;

  @Min(1)
  @Max(255)
  private Integer rise;

  @Min(-253)
  @Max(253)
  @JsonPropertyDescription(
      "0: failing means FAULT. >0 added while healthy, <0 added while failing.")
  private Integer weight;

  /** The check's name, or its default {@code type-index}. */
  public static String nameOf(HealthCheck check, int index) {
    return check.getName() != null && !check.getName().isBlank()
        ? check.getName()
        : check.getType() + "-" + index;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public List<String> getCommand() {
    return command;
  }

  public void setCommand(List<String> command) {
    this.command = command;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public List<String> getProcess() {
    return process;
  }

  public void setProcess(List<String> process) {
    this.process = process;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getCaFile() {
    return caFile;
  }

  public void setCaFile(String caFile) {
    this.caFile = caFile;
  }

  public Boolean getInsecureSkipVerify() {
    return insecureSkipVerify;
  }

  public void setInsecureSkipVerify(Boolean insecureSkipVerify) {
    this.insecureSkipVerify = insecureSkipVerify;
  }

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  @com.fasterxml.jackson.annotation.JsonProperty("interface")
  public String getInterfaceName() {
    return interfaceName;
  }

  @com.fasterxml.jackson.annotation.JsonProperty("interface")
  public void setInterfaceName(String interfaceName) {
    this.interfaceName = interfaceName;
  }

  public String getInterval() {
    return interval;
  }

  public void setInterval(String interval) {
    this.interval = interval;
  }

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }

  public Integer getFall() {
    return fall;
  }

  public void setFall(Integer fall) {
    this.fall = fall;
  }

  public Integer getRise() {
    return rise;
  }

  public void setRise(Integer rise) {
    this.rise = rise;
  }

  public Integer getWeight() {
    return weight;
  }

  public void setWeight(Integer weight) {
    this.weight = weight;
  }
}
