#!/usr/bin/env bash
# Provides real Kubernetes control-plane binaries (kube-apiserver, etcd, kubectl) for
# fabric8's kube-api-test, built from source fetched through the Go module proxy.
#
# Layout (what kube-api-test expects):
#   $DIR/k8s/<version>-linux-<arch>/{kube-apiserver,etcd,kubectl}
# with DIR = ${KUBE_API_TEST_DIR:-$HOME/.cache/vrrp-operator/kubeapitest}.
#
# Usage:
#   scripts/kube-test-binaries.sh            build if missing; last stdout line is DIR
#   scripts/kube-test-binaries.sh --verify   also start etcd + kube-apiserver on 127.0.0.1
#                                            and check them with kubectl, then stop them
#   scripts/kube-test-binaries.sh --force    rebuild even if the binaries are there
#   scripts/kube-test-binaries.sh --node     also the node and controller binaries a real cluster
#                                            needs (kubelet, kube-proxy, kube-controller-manager,
#                                            kube-scheduler: the lab's; kubelet ~6 min cold)
#
#   export KUBE_API_TEST_DIR=$(scripts/kube-test-binaries.sh | tail -1)
#
# Environment:
#   K8S_VERSION   Kubernetes version, numeric (default: the project's, KubernetesVersion.VERSION in
#                 local-lab); k8s.io/kubernetes v$K8S_VERSION
#                 and its staging modules at v0.<minor>.<patch> must be on the module proxy
#   ETCD_VERSION  etcd server version (default: the go.etcd.io/etcd/client/v3 version that
#                 k8s.io/kubernetes requires, e.g. 3.6.5 for 1.35.4)
#   KUBECTL_FALLBACK  kubectl to copy if building kubectl fails (default: the newest
#                 /usr/lib/google-cloud-sdk/bin/kubectl.1.* or `kubectl` on PATH)
#
# Everything goes to stderr except the final DIR line. Go's build and module caches are the
# usual ones (go env GOCACHE / GOMODCACHE), so a second build is fast.
set -euo pipefail

# the project's one Kubernetes version (local-lab/.../KubernetesVersion.java)
PROJECT_VERSION_FILE="$(dirname "$0")/../local-lab/src/main/java/dev/vrrp/lab/KubernetesVersion.java"
if [[ -z "${K8S_VERSION:-}" ]]; then
  K8S_VERSION=$(sed -n 's/.*String VERSION = "\([0-9.]*\)";.*/\1/p' "$PROJECT_VERSION_FILE" 2>/dev/null | head -1)
  [[ -n "$K8S_VERSION" ]] || { echo "kube-test-binaries: ERROR: cannot read the version from $PROJECT_VERSION_FILE" >&2; exit 1; }
fi
K8S_VERSION="${K8S_VERSION#v}"
ETCD_VERSION="${ETCD_VERSION:-}"
ETCD_VERSION="${ETCD_VERSION#v}"
DIR="${KUBE_API_TEST_DIR:-$HOME/.cache/vrrp-operator/kubeapitest}"

VERIFY=0
FORCE=0
NODE=0
for arg in "$@"; do
  case "$arg" in
    --verify) VERIFY=1 ;;
    --force) FORCE=1 ;;
    --node) NODE=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 0 ;;
    *) echo "kube-test-binaries: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

log() { echo "kube-test-binaries: $*" >&2; }

# Runs "$@" and, while it runs, says every 30 s that it still does: go build is silent for minutes.
ticking() {
  local what="$1"; shift
  local started; started=$(date +%s)
  ( while sleep 30; do log "  still $what ($(( $(date +%s) - started ))s)"; done ) &
  local ticker=$!
  local rc=0
  "$@" || rc=$?
  kill "$ticker" 2>/dev/null; wait "$ticker" 2>/dev/null || true
  return "$rc"
}
die() { echo "kube-test-binaries: ERROR: $*" >&2; exit 1; }

if ! [[ "$K8S_VERSION" =~ ^1\.([0-9]+)\.([0-9]+)$ ]]; then
  die "K8S_VERSION must look like 1.35.4, got '$K8S_VERSION'"
fi
K8S_MINOR="${BASH_REMATCH[1]}"
K8S_PATCH="${BASH_REMATCH[2]}"
STAGING_VERSION="v0.${K8S_MINOR}.${K8S_PATCH}"

case "$(uname -m)" in
  x86_64|amd64) ARCH=amd64 ;;
  aarch64|arm64) ARCH=arm64 ;;
  *) die "unsupported machine $(uname -m)" ;;
esac
OUT="$DIR/k8s/${K8S_VERSION}-linux-${ARCH}"

# ---------------------------------------------------------------------------------------
# check: are the three binaries there, runnable, and the right apiserver version?
binaries_ok() {
  local d="$1"
  [[ -x "$d/kube-apiserver" && -x "$d/etcd" && -x "$d/kubectl" ]] || return 1
  "$d/kube-apiserver" --version 2>/dev/null | grep -qx "Kubernetes v${K8S_VERSION}" || return 1
  "$d/etcd" --version >/dev/null 2>&1 || return 1
  "$d/kubectl" version --client >/dev/null 2>&1 || return 1
}

# the --node binaries: the kubelet, kube-proxy and the two controllers of a real cluster
NODE_BINARIES=(kube-controller-manager kube-scheduler kube-proxy kubelet)
node_binaries_ok() {
  local d="$1" b
  for b in "${NODE_BINARIES[@]}"; do
    [[ -x "$d/$b" ]] || return 1
    "$d/$b" --version 2>/dev/null | grep -qx "Kubernetes v${K8S_VERSION}" || return 1
  done
}

# ---------------------------------------------------------------------------------------
# A throwaway module requiring k8s.io/kubernetes, its staging modules at their published versions.
# Sets ETCD_VERSION (unless given) and LDFLAGS (what hack/lib/version.sh stamps into a release).
prepare_module() {
  local kmod="$1"
  GOFLAGS="$(go env GOFLAGS) -mod=mod -trimpath"
  export CGO_ENABLED=0 GOFLAGS
  # the throwaway modules must not see a go.work from wherever we were started
  export GOWORK=off
  mkdir -p "$kmod"
  (
    cd "$kmod"
    go mod init local.invalid/kube-test-binaries/kubernetes >/dev/null 2>&1
    log "fetching k8s.io/kubernetes v${K8S_VERSION} go.mod from the module proxy"
    local gomod
    gomod=$(go list -m -f '{{.GoMod}}' "k8s.io/kubernetes@v${K8S_VERSION}") \
      || die "k8s.io/kubernetes v${K8S_VERSION} is not available from the Go module proxy"
    [[ -f "$gomod" ]] || die "no go.mod for k8s.io/kubernetes v${K8S_VERSION}"
    local goversion
    goversion=$(awk '$1=="go"{print $2; exit}' "$gomod")
    # every staging module (k8s.io/api, apimachinery, client-go, ...) is required as
    # v0.0.0 and replaced by ./staging/src/...; point each at its published v0.<minor>.<patch>
    local staging
    staging=$(awk '$2=="=>" && $3 ~ /^\.\/staging\// {print $1}' "$gomod")
    [[ -n "$staging" ]] || die "found no staging replaces in $gomod"
    local args=(-go="$goversion" -require="k8s.io/kubernetes@v${K8S_VERSION}")
    local m
    for m in $staging; do args+=(-replace="$m=$m@${STAGING_VERSION}"); done
    go mod edit "${args[@]}"
    log "go.mod: go $goversion, k8s.io/kubernetes v${K8S_VERSION}, $(wc -w <<<"$staging") staging modules -> ${STAGING_VERSION}"
    awk '$1=="go.etcd.io/etcd/client/v3"{print $2; exit}' "$gomod" >"$kmod/.etcd-version"
  )
  if [[ -z "$ETCD_VERSION" ]]; then
    ETCD_VERSION=$(cat "$kmod/.etcd-version" 2>/dev/null || true)
    ETCD_VERSION="${ETCD_VERSION#v}"
  fi
  local build_date ldf=() pkg
  build_date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldf+=("-X" "${pkg}.gitVersion=v${K8S_VERSION}"
          "-X" "${pkg}.gitCommit="
          "-X" "${pkg}.gitMajor=1"
          "-X" "${pkg}.gitMinor=${K8S_MINOR}"
          "-X" "${pkg}.gitTreeState=clean"
          "-X" "${pkg}.buildDate=${build_date}")
  done
  LDFLAGS="-s -w ${ldf[*]}"
}

# go build of k8s.io/kubernetes/cmd/$1 in module $2 to $3
build_command() {
  local name="$1" kmod="$2" out="$3" s
  s=$(date +%s)
  ticking "building $name" bash -c 'cd "$1" && go build -ldflags "$2" -o "$3" "k8s.io/kubernetes/cmd/$4"' \
      _ "$kmod" "$LDFLAGS" "$out" "$name" || return 1
  log "$name built in $(( $(date +%s) - s ))s ($(( $(stat -c %s "$out") / 1048576 )) MiB)"
}

build_node() {
  command -v go >/dev/null 2>&1 || die "'go' is not on PATH: it builds ${NODE_BINARIES[*]}"
  local work b t0
  t0=$(date +%s)
  work=$(mktemp -d "${TMPDIR:-/tmp}/kube-node-binaries.XXXXXX")
  # shellcheck disable=SC2064
  trap "rm -rf '$work'" EXIT
  prepare_module "$work/kubernetes"
  log "building ${NODE_BINARIES[*]} v${K8S_VERSION} (cold: kubelet ~6 min on 2 cores, the others ~1 min)"
  for b in "${NODE_BINARIES[@]}"; do
    build_command "$b" "$work/kubernetes" "$OUT/.$b.new" || die "building $b v${K8S_VERSION} failed (see the go output above)"
    mv "$OUT/.$b.new" "$OUT/$b"
  done
  node_binaries_ok "$OUT" || die "the freshly built node binaries do not run (see $OUT)"
  rm -rf "$work"
  trap - EXIT
  log "node binaries done in $(( $(date +%s) - t0 ))s"
}

# ---------------------------------------------------------------------------------------
build() {
  command -v go >/dev/null 2>&1 \
    || die "'go' is not on PATH: a Go toolchain (>= the go directive of k8s.io/kubernetes v${K8S_VERSION}, e.g. 1.25 for 1.35) is needed to build kube-apiserver/etcd/kubectl"
  log "go: $(go version)"

  local t0 t1 work stage
  t0=$(date +%s)
  mkdir -p "$DIR/k8s"
  # staging dir on the same filesystem, so the final move is a rename; its name does not
  # end in -linux-<arch>, so kube-api-test never picks it up
  stage=$(mktemp -d "$DIR/k8s/.build-${K8S_VERSION}.XXXXXX")
  work=$(mktemp -d "${TMPDIR:-/tmp}/kube-test-binaries.XXXXXX")
  # shellcheck disable=SC2064
  trap "rm -rf '$work' '$stage'" EXIT

  # --- kube-apiserver + kubectl: a module that requires k8s.io/kubernetes ----------------
  local kmod="$work/kubernetes"
  prepare_module "$kmod"
  [[ -n "$ETCD_VERSION" ]] || die "could not work out the etcd version; set ETCD_VERSION"
  local ldflags="$LDFLAGS"

  log "building kube-apiserver v${K8S_VERSION} (cold: downloads ~500 MB of modules, ~4 min on 2 cores)"
  local s
  s=$(date +%s)
  ticking "building kube-apiserver" bash -c 'cd "$1" && go build -ldflags "$2" -o "$3" k8s.io/kubernetes/cmd/kube-apiserver' \
      _ "$kmod" "$ldflags" "$stage/kube-apiserver" \
    || die "building kube-apiserver v${K8S_VERSION} failed (see the go output above)"
  log "kube-apiserver built in $(( $(date +%s) - s ))s: $("$stage/kube-apiserver" --version)"

  log "building kubectl v${K8S_VERSION}"
  s=$(date +%s)
  if ticking "building kubectl" bash -c 'cd "$1" && go build -ldflags "$2" -o "$3" k8s.io/kubernetes/cmd/kubectl' \
      _ "$kmod" "$ldflags" "$stage/kubectl"; then
    log "kubectl built in $(( $(date +%s) - s ))s"
  else
    local fb="${KUBECTL_FALLBACK:-}"
    if [[ -z "$fb" ]]; then
      fb=$(ls -1 /usr/lib/google-cloud-sdk/bin/kubectl.1.* 2>/dev/null | sort -V | tail -1 || true)
      [[ -n "$fb" ]] || fb=$(command -v kubectl || true)
    fi
    [[ -n "$fb" && -x "$fb" ]] || die "building kubectl failed and there is no kubectl to fall back to"
    log "WARNING: building kubectl failed; copying $fb instead"
    cp "$fb" "$stage/kubectl"
  fi

  # --- etcd: a module that requires go.etcd.io/etcd/server/v3 (its root is package main) --
  local emod="$work/etcd"
  mkdir -p "$emod"
  log "building etcd v${ETCD_VERSION} (go.etcd.io/etcd/server/v3)"
  s=$(date +%s)
  (
    cd "$emod"
    go mod init local.invalid/kube-test-binaries/etcd >/dev/null 2>&1
    go mod edit -require="go.etcd.io/etcd/server/v3@v${ETCD_VERSION}"
    ticking "building etcd" go build -ldflags "-s -w" -o "$stage/etcd" go.etcd.io/etcd/server/v3
  ) || die "building etcd v${ETCD_VERSION} failed (see the go output above)"
  log "etcd built in $(( $(date +%s) - s ))s: $("$stage/etcd" --version | head -1)"

  binaries_ok "$stage" || die "the freshly built binaries do not run (see $stage)"
  rm -rf "$OUT"
  mv "$stage" "$OUT"
  chmod 755 "$OUT"
  rm -rf "$work"
  trap - EXIT
  t1=$(date +%s)
  log "done in $(( t1 - t0 ))s; binaries in $OUT:"
  (cd "$OUT" && ls -l kube-apiserver etcd kubectl | awk '{printf "kube-test-binaries:   %-15s %6.1f MiB\n", $NF, $5/1048576}' >&2)
}

# ---------------------------------------------------------------------------------------
free_port() {
  local p
  for _ in $(seq 1 100); do
    p=$(( 20000 + RANDOM % 30000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  die "no free port found on 127.0.0.1"
}

# the processes --verify starts (globals, so the EXIT trap can still see them)
ETCD_PID="" API_PID="" VERIFY_TMP=""
stop_all() {
  local p
  for p in "$API_PID" "$ETCD_PID"; do
    [[ -n "$p" ]] || continue
    kill "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  API_PID="" ETCD_PID=""
  [[ -z "$VERIFY_TMP" ]] || rm -rf "$VERIFY_TMP"
  VERIFY_TMP=""
}

verify() {
  command -v openssl >/dev/null 2>&1 || die "--verify needs openssl (service-account key)"
  local ep pp ap token
  VERIFY_TMP=$(mktemp -d "${TMPDIR:-/tmp}/kube-test-verify.XXXXXX")
  local tmp="$VERIFY_TMP"
  trap stop_all EXIT
  ep=$(free_port); pp=$(free_port); ap=$(free_port)
  while [[ "$pp" == "$ep" ]]; do pp=$(free_port); done
  while [[ "$ap" == "$ep" || "$ap" == "$pp" ]]; do ap=$(free_port); done

  log "verify: starting etcd on 127.0.0.1:$ep (peer $pp)"
  "$OUT/etcd" --name default --data-dir "$tmp/etcd" \
    --listen-client-urls "http://127.0.0.1:$ep" --advertise-client-urls "http://127.0.0.1:$ep" \
    --listen-peer-urls "http://127.0.0.1:$pp" --initial-advertise-peer-urls "http://127.0.0.1:$pp" \
    --initial-cluster "default=http://127.0.0.1:$pp" >"$tmp/etcd.log" 2>&1 &
  ETCD_PID=$!

  openssl genrsa -out "$tmp/sa.key" 2048 2>/dev/null
  token=$(openssl rand -hex 16)
  echo "$token,admin,admin,system:masters" >"$tmp/tokens.csv"

  log "verify: starting kube-apiserver on 127.0.0.1:$ap"
  "$OUT/kube-apiserver" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$ap" \
    --cert-dir="$tmp/certs" \
    --etcd-servers="http://127.0.0.1:$ep" \
    --token-auth-file="$tmp/tokens.csv" --authorization-mode=RBAC \
    --service-account-issuer="https://127.0.0.1:$ap" \
    --service-account-key-file="$tmp/sa.key" --service-account-signing-key-file="$tmp/sa.key" \
    --service-cluster-ip-range=10.0.0.0/24 \
    >"$tmp/apiserver.log" 2>&1 &
  API_PID=$!

  cat >"$tmp/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: verify
  cluster:
    server: https://127.0.0.1:$ap
    insecure-skip-tls-verify: true
users:
- name: admin
  user:
    token: $token
contexts:
- name: verify
  context: {cluster: verify, user: admin}
current-context: verify
EOF
  local k=("$OUT/kubectl" --kubeconfig "$tmp/kubeconfig")
  local started ready=0
  started=$(date +%s)
  for _ in $(seq 1 120); do
    kill -0 "$ETCD_PID" 2>/dev/null || { tail -20 "$tmp/etcd.log" >&2; die "etcd exited"; }
    kill -0 "$API_PID" 2>/dev/null || { tail -40 "$tmp/apiserver.log" >&2; die "kube-apiserver exited"; }
    if [[ "$("${k[@]}" get --raw /readyz 2>/dev/null)" == "ok" ]]; then ready=1; break; fi
    sleep 1
  done
  [[ $ready == 1 ]] || { tail -40 "$tmp/apiserver.log" >&2; die "kube-apiserver not ready after 120s"; }
  log "verify: /readyz ok after $(( $(date +%s) - started ))s"

  local version
  version=$("${k[@]}" get --raw /version)
  echo "$version" >&2
  grep -q "\"gitVersion\": \"v${K8S_VERSION}\"" <<<"$version" || die "/version does not say v${K8S_VERSION}"
  "${k[@]}" version >&2
  local n
  n=$("${k[@]}" api-resources --no-headers | wc -l)
  "${k[@]}" api-resources >"$tmp/api-resources.txt"
  head -5 "$tmp/api-resources.txt" >&2
  log "verify: api-resources lists $n resources"
  (( n > 40 )) || die "api-resources returned only $n resources"
  "${k[@]}" get namespace default >&2
  "${k[@]}" create configmap verify-cm --from-literal=k=v -n default >&2
  "${k[@]}" get configmap verify-cm -n default -o jsonpath='{.data.k}' | grep -qx v || die "configmap round trip failed"
  log "verify: configmap round trip through etcd ok"
  log "verify: listening sockets of the two processes:"
  ss -ltnp 2>/dev/null | grep -E "pid=($ETCD_PID|$API_PID)," | awk '{print "kube-test-binaries:   " $4}' >&2 || true
  stop_all
  trap - EXIT
  log "verify: OK (etcd and kube-apiserver stopped)"
}

# ---------------------------------------------------------------------------------------
mkdir -p "$DIR"
exec 9>"$DIR/.lock"
if command -v flock >/dev/null 2>&1; then
  flock 9 || die "could not lock $DIR/.lock"
fi

if [[ $FORCE == 0 ]] && binaries_ok "$OUT"; then
  log "binaries for Kubernetes v${K8S_VERSION} already in $OUT"
else
  build
fi

if [[ $NODE == 1 ]]; then
  if [[ $FORCE == 0 ]] && node_binaries_ok "$OUT"; then
    log "node binaries for Kubernetes v${K8S_VERSION} already in $OUT"
  else
    build_node
  fi
fi

if [[ $VERIFY == 1 ]]; then
  verify
fi

echo "$DIR"
