package dev.vrrp.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;

/** One health check, as in the agent's standalone config (keepalived vrrp_script / track_interface). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HealthCheck {
  @JsonPropertyDescription("Name, unique within the VirtualIP. Default: type-index.")
  private String name;

  @Required
  @Pattern("^(exec|http|tcp|interface|gateway)$")
  @JsonPropertyDescription("exec, http, tcp, interface or gateway.")
  private String type;

  @JsonPropertyDescription("exec: the command (argv).")
  private List<String> command = new ArrayList<>();

  @JsonPropertyDescription("http: the URL; 2xx is healthy.")
  private String url;

  @JsonPropertyDescription("tcp: host:port; gateway: the gateway IP (default: the default route's).")
  private String address;

  @JsonPropertyDescription("interface: which link (default: the VirtualIP's interface).")
  private String interfaceName;

  @JsonPropertyDescription("How often to probe, e.g. 1s.")
  private String interval;

  @JsonPropertyDescription("Probe timeout, e.g. 1s.")
  private String timeout;

  @Min(1)
  @Max(255)
  private Integer fall;

  @Min(1)
  @Max(255)
  private Integer rise;

  @Min(-253)
  @Max(253)
  @JsonPropertyDescription("0: failing means FAULT. >0 added while healthy, <0 added while failing.")
  private Integer weight;

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

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
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
