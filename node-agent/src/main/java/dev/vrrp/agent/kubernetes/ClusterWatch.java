package dev.vrrp.agent.kubernetes;

import dev.vrrp.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's view of the cluster: informers on the VirtualIPs and the Nodes. Each informer's field
 * is set before it starts, so a handler's first event never finds a half-built watch (that was an
 * NPE whose events were lost). The handlers only name what changed; the worker reads the stores.
 */
final class ClusterWatch implements ClusterView, AutoCloseable {

  /** What the watch tells; called on the informers' threads, so it must only queue work. */
  interface Listener {
    void virtualIpChanged(String name);

    void nodesChanged();
  }

  private static final Logger LOG = LoggerFactory.getLogger(ClusterWatch.class);

  /**
   * The informers list and watch again after any failure, the first list included: the client's
   * default gives up on a first list that fails (an agent started during an API outage would then
   * never watch again, and run its saved plan for ever). The client logs each failure.
   */
  private static final ExceptionHandler KEEP_TRYING =
      (started, failure) -> {
        LOG.debug("listing or watching failed; trying again", failure);
        return true;
      };

  private final KubernetesClient client;
  private volatile SharedIndexInformer<VirtualIP> virtualIps;
  private volatile SharedIndexInformer<Node> nodes;

  ClusterWatch(KubernetesClient client) {
    this.client = client;
  }

  void start(Listener listener) {
    SharedIndexInformer<VirtualIP> vipInformer =
        client.resources(VirtualIP.class).runnableInformer(0);
    vipInformer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(VirtualIP vip) {
            listener.virtualIpChanged(vip.getMetadata().getName());
          }

          @Override
          public void onUpdate(VirtualIP oldVip, VirtualIP newVip) {
            listener.virtualIpChanged(newVip.getMetadata().getName());
          }

          @Override
          public void onDelete(VirtualIP vip, boolean deletedFinalStateUnknown) {
            listener.virtualIpChanged(vip.getMetadata().getName());
          }
        });
    SharedIndexInformer<Node> nodeInformer = client.nodes().runnableInformer(0);
    nodeInformer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Node node) {
            listener.nodesChanged();
          }

          @Override
          public void onUpdate(Node oldNode, Node newNode) {
            listener.nodesChanged();
          }

          @Override
          public void onDelete(Node node, boolean deletedFinalStateUnknown) {
            listener.nodesChanged();
          }
        });
    vipInformer.exceptionHandler(KEEP_TRYING);
    nodeInformer.exceptionHandler(KEEP_TRYING);
    virtualIps = vipInformer;
    nodes = nodeInformer;
    vipInformer.start();
    nodeInformer.start();
  }

  /** Both informers have listed once: the stores show the cluster, not an empty start. */
  @Override
  public boolean synced() {
    SharedIndexInformer<VirtualIP> v = virtualIps;
    SharedIndexInformer<Node> n = nodes;
    return v != null && n != null && v.hasSynced() && n.hasSynced();
  }

  @Override
  public Optional<VirtualIP> virtualIp(String name) {
    SharedIndexInformer<VirtualIP> v = virtualIps;
    return v == null ? Optional.empty() : Optional.ofNullable(v.getStore().getByKey(name));
  }

  @Override
  public List<String> virtualIpNames() {
    SharedIndexInformer<VirtualIP> v = virtualIps;
    return v == null ? List.of() : v.getStore().listKeys();
  }

  @Override
  public Optional<Node> node(String name) {
    SharedIndexInformer<Node> n = nodes;
    return n == null ? Optional.empty() : Optional.ofNullable(n.getStore().getByKey(name));
  }

  @Override
  public Collection<Node> nodes() {
    SharedIndexInformer<Node> n = nodes;
    return n == null ? List.of() : n.getStore().list();
  }

  @Override
  public void close() {
    SharedIndexInformer<VirtualIP> v = virtualIps;
    SharedIndexInformer<Node> n = nodes;
    if (v != null) {
      v.close();
    }
    if (n != null) {
      n.close();
    }
  }
}
