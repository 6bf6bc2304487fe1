#!/usr/bin/env bash
# The lab's control plane: etcd, kube-apiserver, kube-controller-manager and kube-scheduler in the
# control-plane host's network namespace, as on a machine of its own. Started by the lab
# (RealCluster) as
#   nsenter --net=/run/netns/NS bash control-plane.sh DIR
# DIR/env gives BIN (the Kubernetes binaries), ADDRESS (the host's address: the API server's
# advertise address and the kubelets' server), PORT, SERVICE_RANGE, POD_RANGE and NODES (names).
# The script makes the lab's CA, the API server's certificate (for ADDRESS, 127.0.0.1 and the
# kubernetes Service), its client certificate for the kubelets, the service-account key, one token
# and one kubeconfig per component and node (DIR/kubeconfigs/NAME), then runs the four processes
# until it is stopped. Readiness is the caller's to wait for (/readyz).
set -euo pipefail
DIR="$1"
# shellcheck source=/dev/null
source "$DIR/env"
say() { echo "$(date +%T.%3N) control-plane.sh: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }
command -v openssl >/dev/null || die "openssl is missing (apt-get install openssl)"
PKI="$DIR/pki"
mkdir -p "$PKI" "$DIR/kubeconfigs"

# --- certificates (once per lab; kept across restarts of this script)
if [[ ! -f "$PKI/ca.crt" ]]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=vrrp-lab-ca" \
    -keyout "$PKI/ca.key" -out "$PKI/ca.crt" 2>/dev/null
  issue() { # issue NAME SUBJECT [SANS]: a certificate of the lab's CA
    local name="$1" subject="$2" sans="${3:-}"
    openssl req -newkey rsa:2048 -nodes -subj "$subject" -keyout "$PKI/$name.key" \
      -out "$PKI/$name.csr" 2>/dev/null
    local ext="$PKI/$name.ext"
    { echo "basicConstraints=CA:FALSE"; echo "keyUsage=digitalSignature,keyEncipherment"
      if [[ -n "$sans" ]]; then echo "extendedKeyUsage=serverAuth"; echo "subjectAltName=$sans"
      else echo "extendedKeyUsage=clientAuth"; fi; } >"$ext"
    openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" \
      -CAcreateserial -days 3650 -extfile "$ext" -out "$PKI/$name.crt" 2>/dev/null
    rm -f "$PKI/$name.csr" "$ext"
  }
  issue apiserver "/CN=kube-apiserver" \
    "IP:$ADDRESS,IP:127.0.0.1,IP:$SERVICE_IP,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost"
  issue apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client"
  openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
  # who is who: one token per identity (group system:nodes puts the kubelets under the Node
  # authorizer, as on a real cluster)
  {
    echo "$(openssl rand -hex 24),admin,admin,system:masters"
    echo "$(openssl rand -hex 24),system:kube-controller-manager,system:kube-controller-manager"
    echo "$(openssl rand -hex 24),system:kube-scheduler,system:kube-scheduler"
    echo "$(openssl rand -hex 24),system:kube-proxy,system:kube-proxy,system:node-proxier"
    for node in $NODES; do
      echo "$(openssl rand -hex 24),system:node:$node,system:node:$node,system:nodes"
    done
  } >"$PKI/tokens.csv"
  chmod 600 "$PKI"/*.key "$PKI/tokens.csv"
fi
kubeconfig() { # kubeconfig FILE SERVER USER
  local token
  token=$(awk -F, -v u="$3" '$2==u {print $1; exit}' "$PKI/tokens.csv")
  [[ -n "$token" ]] || die "no token for $3"
  cat >"$1" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: vrrp-lab
  cluster: {server: "$2", certificate-authority: "$PKI/ca.crt"}
users:
- name: $3
  user: {token: "$token"}
contexts:
- name: vrrp-lab
  context: {cluster: vrrp-lab, user: $3}
current-context: vrrp-lab
KUBECONFIG
  chmod 600 "$1"
}
SERVER="https://$ADDRESS:$PORT"
kubeconfig "$DIR/kubeconfigs/admin" "$SERVER" admin
kubeconfig "$DIR/kubeconfigs/controller-manager" "https://127.0.0.1:$PORT" system:kube-controller-manager
kubeconfig "$DIR/kubeconfigs/scheduler" "https://127.0.0.1:$PORT" system:kube-scheduler
kubeconfig "$DIR/kubeconfigs/kube-proxy" "$SERVER" system:kube-proxy
for node in $NODES; do
  kubeconfig "$DIR/kubeconfigs/$node" "$SERVER" "system:node:$node"
done

# --- the processes; any of them ending ends the control plane (and stops the others)
PIDS=()
NAMES=()
# The lab's etcd data goes with the lab, so a graceful end is worth 5 s, not kube-apiserver's own
# drain (which held ./lab down for the caller's whole 30 s).
stop() {
  trap - EXIT TERM INT
  local pid i left
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for ((i = 0; i < 50; i++)); do
    left=0
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && left=1; done
    ((left)) || break
    sleep 0.1
  done
  for i in "${!PIDS[@]}"; do
    if kill -0 "${PIDS[$i]}" 2>/dev/null; then
      say "${NAMES[$i]} still runs 5 s after SIGTERM: SIGKILL"
      kill -KILL "${PIDS[$i]}" 2>/dev/null || true
    fi
  done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop EXIT
trap 'stop; exit 0' TERM INT
ip link set lo up
"$BIN/etcd" --name lab --data-dir "$DIR/etcd" \
  --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster lab=http://127.0.0.1:2380 --quota-backend-bytes=1073741824 \
  >>"$DIR/etcd.log" 2>&1 &
PIDS+=($!)
NAMES+=(etcd)
"$BIN/kube-apiserver" --bind-address=0.0.0.0 --advertise-address="$ADDRESS" --secure-port="$PORT" \
  --etcd-servers=http://127.0.0.1:2379 \
  --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
  --client-ca-file="$PKI/ca.crt" --token-auth-file="$PKI/tokens.csv" \
  --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction \
  --kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt" \
  --kubelet-client-key="$PKI/apiserver-kubelet-client.key" \
  --kubelet-preferred-address-types=InternalIP \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$PKI/sa.key" --service-account-signing-key-file="$PKI/sa.key" \
  --service-cluster-ip-range="$SERVICE_RANGE" --allow-privileged=true \
  --profiling=false \
  >>"$DIR/kube-apiserver.log" 2>&1 &
PIDS+=($!)
NAMES+=(kube-apiserver)
"$BIN/kube-controller-manager" --kubeconfig="$DIR/kubeconfigs/controller-manager" \
  --controllers='*,-nodeipam' --use-service-account-credentials=true \
  --root-ca-file="$PKI/ca.crt" --service-account-private-key-file="$PKI/sa.key" \
  --cluster-cidr="$POD_RANGE" --service-cluster-ip-range="$SERVICE_RANGE" \
  --leader-elect=false --bind-address=127.0.0.1 --secure-port=10257 --profiling=false \
  >>"$DIR/kube-controller-manager.log" 2>&1 &
PIDS+=($!)
NAMES+=(kube-controller-manager)
"$BIN/kube-scheduler" --kubeconfig="$DIR/kubeconfigs/scheduler" \
  --leader-elect=false --bind-address=127.0.0.1 --secure-port=10259 --profiling=false \
  >>"$DIR/kube-scheduler.log" 2>&1 &
PIDS+=($!)
NAMES+=(kube-scheduler)
say "etcd, kube-apiserver ($SERVER), kube-controller-manager, kube-scheduler started"
wait -n "${PIDS[@]}" || true
die "a control-plane process exited (see etcd.log, kube-apiserver.log, kube-controller-manager.log, kube-scheduler.log in $DIR)"
