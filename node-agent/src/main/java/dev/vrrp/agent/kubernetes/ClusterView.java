package dev.vrrp.agent.kubernetes;

import dev.vrrp.api.v1alpha1.VirtualIP;
import java.util.List;
import java.util.Optional;

/** The VirtualIPs and Nodes as this agent last saw them (its informers, or a saved plan). */
interface ClusterView extends InstancePlan.NodeView {
  Optional<VirtualIP> virtualIp(String name);

  List<String> virtualIpNames();

  /** Whether the view shows the cluster (listed at least once), not an empty start. */
  boolean synced();
}
