package dev.vrrp.operator;

import dev.vrrp.api.v1alpha1.NodePriority;
import dev.vrrp.api.v1alpha1.NodeStatus;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPSpec;
import dev.vrrp.api.v1alpha1.VirtualIPStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds VirtualIPs and Nodes for unit tests (public: the tests of every package use it). */
public final class Vips {
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private final VirtualIP vip = new VirtualIP();

  private Vips(String name) {
    vip.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withUid("uid-" + name)
            .withGeneration(1L)
            .withResourceVersion("1")
            .withCreationTimestamp(T0.toString())
            .build());
    VirtualIPSpec spec = new VirtualIPSpec();
    vip.setSpec(spec);
    vip.setStatus(new VirtualIPStatus());
  }

  public static Vips vip(String name) {
    return new Vips(name);
  }

  public Vips created(int secondsAfterT0) {
    vip.getMetadata().setCreationTimestamp(T0.plusSeconds(secondsAfterT0).toString());
    return this;
  }

  public Vips addresses(String... addresses) {
    vip.getSpec().setAddresses(new ArrayList<>(List.of(addresses)));
    return this;
  }

  public Vips selector(String... keyValues) {
    Map<String, String> selector = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      selector.put(keyValues[i], keyValues[i + 1]);
    }
    vip.getSpec().setNodeSelector(selector);
    return this;
  }

  public Vips vrid(Integer vrid) {
    vip.getSpec().setVirtualRouterId(vrid);
    return this;
  }

  public Vips priority(String node, int priority) {
    vip.getSpec().getPriorities().add(new NodePriority(node, priority));
    return this;
  }

  public Vips toleration(String key, String operator, String value, String effect) {
    Toleration t = new Toleration();
    t.setKey(key);
    t.setOperator(operator);
    t.setValue(value);
    t.setEffect(effect);
    vip.getSpec().getTolerations().add(t);
    return this;
  }

  public Vips generation(long generation) {
    vip.getMetadata().setGeneration(generation);
    return this;
  }

  public Vips statusVrid(Integer vrid) {
    vip.getStatus().setVirtualRouterId(vrid);
    return this;
  }

  public Vips entry(String node, String state, Instant heartbeat) {
    return entry(node, state, heartbeat, null);
  }

  public Vips entry(String node, String state, Instant heartbeat, String message) {
    NodeStatus e = new NodeStatus();
    e.setName(node);
    e.setState(state);
    e.setHeartbeatTime(heartbeat == null ? null : heartbeat.toString());
    e.setMessage(message);
    vip.getStatus().getNodes().add(e);
    return this;
  }

  /** A MASTER entry that took over at {@code since} and last reported at {@code heartbeat}. */
  public Vips masterSince(String node, Instant since, Instant heartbeat) {
    entry(node, "MASTER", heartbeat);
    vip.getStatus()
        .getNodes()
        .get(vip.getStatus().getNodes().size() - 1)
        .setLastTransitionTime(since.toString());
    return this;
  }

  /** {@link #masterSince(String, Instant, Instant)} at effective priority {@code priority}. */
  public Vips masterSince(String node, Instant since, Instant heartbeat, int priority) {
    masterSince(node, since, heartbeat);
    vip.getStatus()
        .getNodes()
        .get(vip.getStatus().getNodes().size() - 1)
        .setEffectivePriority(priority);
    return this;
  }

  public Vips interval(String interval) {
    vip.getSpec().setAdvertisementInterval(interval);
    return this;
  }

  public Vips deleted(Instant at) {
    vip.getMetadata().setDeletionTimestamp(at.toString());
    return this;
  }

  public VirtualIP build() {
    return vip;
  }

  public static Node node(String name, String... labels) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      map.put(labels[i], labels[i + 1]);
    }
    return new NodeBuilder().withNewMetadata().withName(name).withLabels(map).endMetadata().build();
  }

  public static Node tainted(Node node, String key, String value, String effect) {
    Taint taint = new Taint();
    taint.setKey(key);
    taint.setValue(value);
    taint.setEffect(effect);
    return new NodeBuilder(node).editOrNewSpec().addToTaints(taint).endSpec().build();
  }
}
