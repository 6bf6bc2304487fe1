package dev.vrrp.lab;

import java.nio.file.Path;

/**
 * The configuration files of a {@link RealNode}: what a real node on this kind of machine needs
 * (cgroup v1, no CAP_SYS_RESOURCE, runc, several nodes on one machine). Each setting that is not a
 * plain default says why.
 */
final class NodeFiles {
  /** Where Debian's containernetworking-plugins puts the plugins. */
  static final Path CNI_PLUGINS = Path.of("/usr/lib/cni");

  private final RealNode.Spec spec;
  private final Path dir;
  private final String cgroupRoot;
  private final Path ca;
  private final String sandboxImage;

  NodeFiles(RealNode.Spec spec, Path dir, String cgroupRoot, Path ca, String sandboxImage) {
    this.spec = spec;
    this.dir = dir;
    this.cgroupRoot = cgroupRoot;
    this.ca = ca;
    this.sandboxImage = sandboxImage;
  }

  Path containerdSocket() {
    return dir.resolve("containerd").resolve("containerd.sock");
  }

  String containerd() {
    // restrict_oom_score_adj: without CAP_SYS_RESOURCE runc cannot lower a container's OOM score
    // and every sandbox fails ("can't get final child's PID from pipe: EOF").
    return """
        version = 2
        root = "%1$s/containerd/root"
        state = "%1$s/containerd/state"
        [grpc]
          address = "%2$s"
        [ttrpc]
          address = "%2$s.ttrpc"
        [metrics]
          address = ""
        [plugins."io.containerd.internal.v1.opt"]
          path = "%1$s/containerd/opt"
        [plugins."io.containerd.grpc.v1.cri"]
          sandbox_image = "%3$s"
          restrict_oom_score_adj = true
          enable_selinux = false
          [plugins."io.containerd.grpc.v1.cri".containerd]
            snapshotter = "overlayfs"
            default_runtime_name = "runc"
            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
              runtime_type = "io.containerd.runc.v2"
              [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                SystemdCgroup = false
          [plugins."io.containerd.grpc.v1.cri".cni]
            bin_dir = "%4$s"
            conf_dir = "%1$s/cni"
        """
        .formatted(dir, containerdSocket(), sandboxImage, CNI_PLUGINS);
  }

  String kubelet() {
    // failCgroupV1: this machine has cgroup v1 (hybrid). cgroupRoot: several nodes on one machine,
    // each under its own cgroup. The images are imported, never pulled, and never collected.
    return """
        apiVersion: kubelet.config.k8s.io/v1beta1
        kind: KubeletConfiguration
        failCgroupV1: false
        cgroupDriver: cgroupfs
        cgroupRoot: %1$s
        containerRuntimeEndpoint: unix://%2$s
        failSwapOn: false
        makeIPTablesUtilChains: false
        resolvConf: ""
        address: %3$s
        port: 10250
        readOnlyPort: 0
        healthzBindAddress: 127.0.0.1
        healthzPort: 10248
        authentication:
          anonymous: {enabled: false}
          webhook: {enabled: true}
          x509: {clientCAFile: "%4$s"}
        authorization: {mode: Webhook}
        evictionHard: {memory.available: "100Mi", nodefs.available: "1%%", imagefs.available: "1%%", nodefs.inodesFree: "1%%"}
        imageGCHighThresholdPercent: 100
        imageGCLowThresholdPercent: 99
        serializeImagePulls: false
        clusterDomain: cluster.local
        shutdownGracePeriod: 0s
        """
        .formatted(cgroupRoot, containerdSocket(), spec.address(), ca);
  }

  String kubeProxy() {
    // conntrack maxPerCore 0: the node's conntrack table is the machine's; leave its size alone.
    return """
        apiVersion: kubeproxy.config.k8s.io/v1alpha1
        kind: KubeProxyConfiguration
        mode: nftables
        clientConnection: {kubeconfig: "%1$s/kube-proxy.kubeconfig"}
        clusterCIDR: %2$s
        bindAddress: %3$s
        metricsBindAddress: 127.0.0.1:10249
        healthzBindAddress: 127.0.0.1:10256
        conntrack: {maxPerCore: 0}
        """
        .formatted(dir, ClusterRanges.PODS, spec.address());
  }

  String cni() {
    return """
        {"cniVersion": "1.0.0", "name": "lab", "plugins": [
          {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
           "ipam": {"type": "host-local", "ranges": [[{"subnet": "%s"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
          {"type": "portmap", "capabilities": {"portMappings": true}}]}
        """
        .formatted(spec.podRange());
  }
}
