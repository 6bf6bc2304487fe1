package dev.vrrp.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * VRRPv2 simple text password (RFC 3768 5.3.6.1). It is visible on the wire: it guards against
 * mistakes, not attackers.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.password) != has(self.passwordSecretRef)",
    message = "give exactly one of password and passwordSecretRef")
public class Authentication {
  public static final String PASS = "PASS";

  @Required
  @Pattern("^PASS$")
  @JsonPropertyDescription("Authentication type; only PASS (simple text password).")
  private String type = PASS;

  @Size(min = 1, max = 8)
  @Pattern("^[ -~]*$")
  @JsonPropertyDescription("The password, 1-8 printable ASCII characters (inline).")
  private String password;

  @JsonPropertyDescription("The password from a Secret key (1-8 characters).")
  private SecretKeyRef passwordSecretRef;

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  public SecretKeyRef getPasswordSecretRef() {
    return passwordSecretRef;
  }

  public void setPasswordSecretRef(SecretKeyRef passwordSecretRef) {
    this.passwordSecretRef = passwordSecretRef;
  }

  /**
   * A key of a Secret in a namespace (the resource is cluster-scoped, so the namespace is
   * explicit).
   */
  public static class SecretKeyRef {
    @Required private String namespace;
    @Required private String name;
    @Required private String key;

    public String getNamespace() {
      return namespace;
    }

    public void setNamespace(String namespace) {
      this.namespace = namespace;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getKey() {
      return key;
    }

    public void setKey(String key) {
      this.key = key;
    }
  }
}
