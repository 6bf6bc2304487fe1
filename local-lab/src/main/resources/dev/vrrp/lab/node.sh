#!/usr/bin/env bash
# One lab node: containerd and the kubelet in the node's network namespace and a mount namespace of
# its own. Started by the lab (RealNode) as
#   nsenter --net=/run/netns/NS unshare --mount --propagation private --fork bash node.sh NODE_DIR
# (not `ip netns exec`: its fresh /sys has no cgroup mounts, and the kubelet needs them)
# NODE_DIR holds containerd.toml, kubelet.yaml, kube-proxy.yaml, kubeconfig, env (NODE_NAME,
# NODE_IP, CGROUP_ROOT, IMAGES, KUBELET, KUBE_PROXY) and gets the node's state. The host's files stay as they are: every fixed path
# the kubelet or containerd writes regardless of their flags is a private directory of the node,
# bind-mounted in this mount namespace only; the host sysctls the kubelet sets are files of the
# node's too. Everything this node starts, shims and containers included, lives in the cgroup
# CGROUP_ROOT of every hierarchy, so the lab can find and stop all of it.
set -euo pipefail
NODE_DIR="$1"
# shellcheck source=/dev/null
source "$NODE_DIR/env"

say() { echo "$(date +%T.%3N) node.sh[$NODE_NAME]: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# --- /sys as the node sees it: the sysfs of its network namespace (its own interfaces), and the
# host's cgroup hierarchies mounted again on it (v1 hierarchies are shared, not copied)
mapfile -t CGROUP_MOUNTS < <(awk '$3 ~ /^cgroup2?$/ {print $2 " " $3 " " $4}' /proc/self/mounts)
((${#CGROUP_MOUNTS[@]})) || die "no cgroup hierarchies are mounted on this machine"
mount -t sysfs sysfs /sys
mount -t tmpfs -o mode=755 cgroup /sys/fs/cgroup
for line in "${CGROUP_MOUNTS[@]}"; do
  read -r where type options <<<"$line"
  mkdir -p "$where"
  mount -t "$type" -o "$options" "$type" "$where"
done

# --- cgroups: CGROUP_ROOT/system holds containerd, its shims and the kubelet; the kubelet puts the
# pods under CGROUP_ROOT/kubepods
for hierarchy in /sys/fs/cgroup/*/; do
  [[ -f "$hierarchy/cgroup.procs" ]] || continue
  [[ "$hierarchy" == */unified/ ]] && continue
  for dir in "$hierarchy$CGROUP_ROOT" "$hierarchy$CGROUP_ROOT/system"; do
    mkdir -p "$dir"
    if [[ -f "$dir/cpuset.cpus" && -z "$(cat "$dir/cpuset.cpus")" ]]; then
      cat "$(dirname "$dir")/cpuset.cpus" >"$dir/cpuset.cpus"
      cat "$(dirname "$dir")/cpuset.mems" >"$dir/cpuset.mems"
    fi
  done
  echo $$ >"$hierarchy$CGROUP_ROOT/system/cgroup.procs"
done

# --- private copies of the paths the kubelet, the CNI plugins and containerd write whatever their
# flags say (/var/lib/kubelet/device-plugins, /var/log/pods, /var/lib/cni, /run/containerd, the
# pods' /run/netns): this node's own /var/lib, /var/log and /run. Nothing is created on the host.
for path in /var/lib /var/log /run; do
  mkdir -p "$NODE_DIR/root$path"
  mount --bind "$NODE_DIR/root$path" "$path"
done
# the sysctls the kubelet sets on a node (kubelet's setupKernelTunables), as files of this node
for key in kernel/panic kernel/panic_on_oops vm/overcommit_memory vm/panic_on_oom \
    kernel/keys/root_maxkeys kernel/keys/root_maxbytes; do
  own="$NODE_DIR/sysctl/$key"
  mkdir -p "$(dirname "$own")"
  cat "/proc/sys/$key" >"$own"
  mount --bind "$own" "/proc/sys/$key"
done

# --- the node routes, as every Kubernetes node does: kube-proxy forwards traffic for a Service's
# external address (a LoadBalancer's, on the VRRP master) to pods on other nodes. The sysctl is
# the node's network namespace's own. IPv4 only: IPv6 forwarding would make the node a router in
# Neighbor Discovery's eyes (the R flag of its NAs), which the IPv6 VirtualIP tests do not expect.
echo 1 >/proc/sys/net/ipv4/ip_forward

# --- containerd (and, if anything below fails, no containerd left behind)
KUBELET_PID="" PROXY_PID=""
stop() {
  trap - EXIT TERM INT
  local pid
  for pid in $PROXY_PID $KUBELET_PID; do
    kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  kill -TERM "$CONTAINERD" 2>/dev/null || true
  wait "$CONTAINERD" 2>/dev/null || true
}
trap stop EXIT
trap 'stop; exit 0' TERM INT
containerd --config "$NODE_DIR/containerd.toml" >>"$NODE_DIR/containerd.log" 2>&1 &
CONTAINERD=$!
SOCKET="$NODE_DIR/containerd/containerd.sock"
for _ in $(seq 1 200); do
  [[ -S "$SOCKET" ]] && ctr -a "$SOCKET" version >/dev/null 2>&1 && break
  kill -0 "$CONTAINERD" 2>/dev/null || die "containerd exited (see $NODE_DIR/containerd.log)"
  sleep 0.1
done
ctr -a "$SOCKET" version >/dev/null 2>&1 || die "containerd did not answer on $SOCKET"
say "containerd $(containerd --version | awk '{print $3}') up"
# imported once per tarball build: a node that restarts (./lab heal) finds them in its containerd
for image in $IMAGES; do
  stamp="$NODE_DIR/containerd/imported-$(basename "$image")"
  [[ -f "$stamp" && "$(cat "$stamp")" == "$(stat -c %Y:%s "$image")" ]] && continue
  ctr -a "$SOCKET" -n k8s.io images import "$image" >/dev/null || die "could not import $image"
  stat -c %Y:%s "$image" >"$stamp"
done
say "images: $(ctr -a "$SOCKET" -n k8s.io images list -q | grep -v '^sha256:' | tr '\n' ' ')"

# --- the kubelet
"$KUBELET" --config "$NODE_DIR/kubelet.yaml" --kubeconfig "$NODE_DIR/kubeconfig" \
  --root-dir /var/lib/kubelet --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" \
>>"$NODE_DIR/kubelet.log" 2>&1 &
KUBELET_PID=$!
say "kubelet started (pid $KUBELET_PID)"

# --- kube-proxy (nftables): the Services' virtual IPs in this node's network namespace
"$KUBE_PROXY" --config "$NODE_DIR/kube-proxy.yaml" --hostname-override "$NODE_NAME" \
  >>"$NODE_DIR/kube-proxy.log" 2>&1 &
PROXY_PID=$!
say "kube-proxy started (pid $PROXY_PID)"
wait -n "$KUBELET_PID" "$CONTAINERD" "$PROXY_PID" || true
die "the kubelet, containerd or kube-proxy exited (see kubelet.log, containerd.log, kube-proxy.log in $NODE_DIR)"
