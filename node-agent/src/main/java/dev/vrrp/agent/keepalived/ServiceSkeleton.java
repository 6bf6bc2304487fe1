package dev.vrrp.agent.keepalived;

import dev.vrrp.api.v1alpha1.LoadBalancers;
import java.util.List;
import java.util.Locale;

/**
 * The LoadBalancer Service an LVS virtual server becomes on Kubernetes, as a commented YAML block:
 * commented, because its selector must be written by hand, and so that the output still applies (or
 * runs) as it is.
 */
final class ServiceSkeleton {
  private ServiceSkeleton() {}

  static String comment(List<VirtualServer> servers) {
    StringBuilder out = new StringBuilder();
    for (VirtualServer server : servers) {
      String name =
          ("lvs-" + server.address() + "-" + server.port())
              .toLowerCase(Locale.ROOT)
              .replaceAll("[^a-z0-9-]", "-");
      out.append('\n')
          .append("# ")
          .append(server.keyword().at().fileAndLine())
          .append(": virtual_server ")
          .append(server.address())
          .append(' ')
          .append(server.port())
          .append(" is not converted (LVS). On Kubernetes it is a LoadBalancer Service;\n")
          .append("# its address must lie in a VirtualIPPool (docs/load-balancers.md), and the")
          .append(" selector must pick\n# the pods that replace the real servers ")
          .append(
              server.realServers().isEmpty()
                  ? "(none given)"
                  : String.join(", ", server.realServers()))
          .append(".\n")
          .append("# ---\n")
          .append("# apiVersion: v1\n")
          .append("# kind: Service\n")
          .append("# metadata:\n")
          .append("#   name: ")
          .append(name)
          .append('\n')
          .append("#   annotations:\n")
          .append("#     ")
          .append(LoadBalancers.ADDRESSES_ANNOTATION)
          .append(": \"")
          .append(server.address())
          .append("\"\n")
          .append("# spec:\n")
          .append("#   type: LoadBalancer\n")
          .append("#   loadBalancerClass: ")
          .append(LoadBalancers.CLASS)
          .append('\n')
          .append("#   selector: {app: CHANGE-ME}\n")
          .append("#   ports:\n")
          .append("#     - {protocol: ")
          .append(server.protocol())
          .append(", port: ")
          .append(server.port())
          .append(", targetPort: ")
          .append(server.targetPort() == null ? server.port() : server.targetPort())
          .append("}\n");
    }
    return out.toString();
  }
}
