package dev.vrrp.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Kubernetes node of the lab: containerd (runc, overlayfs) and the kubelet in the node's
 * network namespace and a mount namespace of its own, with kube-proxy (nftables) and a CNI bridge
 * for its pods, run by {@code node.sh}. The images given are imported into its containerd before
 * the kubelet starts, so pods run them without a registry.
 */
public final class RealNode implements AutoCloseable {
  private static final String SCRIPT = "node.sh";

  /** What a node is: its name, its address on the segment, its pod range. */
  public record Spec(String name, String address, String podRange) {}

  private final Spec spec;
  private final Path dir;
  private final NodeCgroup cgroup;
  private final List<String> command;
  private Process process;

  /**
   * @param cgroupName the node's cgroup, unique on this machine (the lab's prefix and the name)
   * @param images the image tarballs to import (the pause image is the pods' sandbox)
   */
  public RealNode(
      Segment lan, Spec spec, String cgroupName, ControlPlane plane, OciImages images, Path dir)
      throws IOException {
    this.spec = spec;
    this.dir = Files.createDirectories(dir);
    this.cgroup = new NodeCgroup(cgroupName);
    Path script = ControlPlane.copyResource(SCRIPT, dir);
    Files.copy(
        plane.kubeconfig(spec.name()),
        dir.resolve("kubeconfig"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        plane.kubeconfig("kube-proxy"),
        dir.resolve("kube-proxy.kubeconfig"),
        StandardCopyOption.REPLACE_EXISTING);
    NodeFiles files =
        new NodeFiles(spec, dir, cgroup.path(), plane.ca(), images.names(OciImages.PAUSE).get(0));
    Files.writeString(dir.resolve("containerd.toml"), files.containerd());
    Files.writeString(dir.resolve("kubelet.yaml"), files.kubelet());
    Files.writeString(dir.resolve("kube-proxy.yaml"), files.kubeProxy());
    Files.createDirectories(dir.resolve("cni"));
    Files.writeString(dir.resolve("cni").resolve("10-lab.conflist"), files.cni());
    Files.writeString(
        dir.resolve("env"),
        String.join(
            "\n",
            "NODE_NAME=" + spec.name(),
            "NODE_IP=" + spec.address(),
            "CGROUP_ROOT=" + cgroup.path(),
            "IMAGES=\""
                + String.join(" ", images.all().stream().map(Path::toString).toList())
                + "\"",
            "KUBELET=" + KubernetesVersion.binary("kubelet"),
            "KUBE_PROXY=" + KubernetesVersion.binary("kube-proxy"),
            ""));
    command =
        new ArrayList<>(
            List.of(
                ExternalTools.require("nsenter"),
                "--net=/run/netns/" + lan.ns(spec.name()),
                ExternalTools.require("unshare"),
                "--mount",
                "--propagation",
                "private",
                "--fork",
                "bash",
                script.toString(),
                dir.toString()));
  }

  /** Starts containerd, the kubelet and kube-proxy (the node registers itself). */
  public void start() throws IOException {
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node.log").toFile()))
            .start();
  }

  /** Everything of the node dies at once (SIGKILL): its kubelet, containerd, pods. */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
    }
    cgroup.killAll();
  }

  /** The processes of the node (its kubelet, containerd, kube-proxy, its pods'). */
  public List<Long> processes() {
    return cgroup.pids();
  }

  public Path dir() {
    return dir;
  }

  public boolean alive() {
    return process != null && process.isAlive();
  }

  /**
   * The machine goes down: everything of the node is killed at once (a graceful stop of the kubelet
   * would leave its pods running anyway), then its cgroups are removed; its mounts went with its
   * mount namespace.
   */
  @Override
  public void close() {
    kill();
    cgroup.remove();
    // the node's disk: containerd's images and snapshots (hundreds of MB), its /var and /run
    for (String disk : List.of("containerd", "root")) {
      if (Files.exists(dir.resolve(disk))) {
        Cleanup.deleteTree(dir.resolve(disk));
      }
    }
  }
}
