#!/usr/bin/env bash
# Builds the project's container images offline, without Docker and without pulling a base image:
# a Debian root filesystem from packages (mmdebstrap), the jar as a layer of its own (umoci), one
# OCI image tarball per image.
#
#   target/images/node-agent.oci.tar   ghcr.io/vrrp-dev/node-agent:<pom version> (and :<Dockerfile tag>)
#   target/images/operator.oci.tar     ghcr.io/vrrp-dev/operator:<pom version>   (and :<Dockerfile tag>)
#   target/images/pause.oci.tar        registry.k8s.io/pause:<TAG of kubernetes' build/pause/Makefile>
#
# Usage (root: mmdebstrap --mode=root, apt-get for the tools):
#   scripts/images.sh                       all three; the last lines are the digests
#   scripts/images.sh --only node-agent     only these (comma-separated: node-agent,operator,pause)
#   scripts/images.sh --print-config        print what each image gets, build nothing (no root needed)
#   scripts/images.sh --refresh-base        rebuild the Debian base even if it is cached
#   scripts/images.sh --package             build the jars with ./mvnw first (else only when missing)
#
# One owner for each value: the Dockerfiles. Entrypoint, cmd, user, working directory, ENV, EXPOSE,
# the jar (COPY --from=build) and the Debian packages of the final stage (apt-get install) are read
# from node-agent/Dockerfile and operator/Dockerfile; their other RUN commands run in the root
# filesystem. This script owns only the stand-in for the Dockerfile's base image (FROM
# eclipse-temurin:17...-jre: Debian's openjdk-17-jre-headless, its JAVA_HOME, PATH, LANG) and the
# image names' tag (the root pom's version). The pause image follows kubernetes' own
# build/pause/Dockerfile and Makefile (USER, ENTRYPOINT, TAG, CFLAGS) from the Go module cache.
#
# The base is cached in $IMAGES_CACHE (default ~/.cache/vrrp-operator/images), keyed by its
# recipe (suite, mirrors, packages, hooks): a second run reuses it and only adds the jar (seconds).
# The jar layer is reproducible: same jar, same layer digest (fixed mtime, owner, mode and order).
# Debian updates reach the base only with --refresh-base (or a changed package list).
#
# Environment:
#   IMAGES_CACHE             where the bases are cached (default ~/.cache/vrrp-operator/images)
#   DEBIAN_SUITE             default bookworm
#   DEBIAN_MIRROR            default http://deb.debian.org/debian
#   DEBIAN_SECURITY_MIRROR   default http://deb.debian.org/debian-security
#   SOURCE_DATE_EPOCH        mtime of the application layer's files and the images' created time
#                            (default 0, 1970-01-01); also passed on to mmdebstrap when set
#   K8S_VERSION              k8s.io/kubernetes version for the pause source (default: the project's,
#                            KubernetesVersion.VERSION in local-lab)
#
# Exits non-zero with the reason on any failure.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT_DIR="$ROOT/target/images"
CACHE="${IMAGES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vrrp-operator/images}"
SUITE="${DEBIAN_SUITE:-bookworm}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SECURITY_MIRROR="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
EPOCH="${SOURCE_DATE_EPOCH:-0}"
ALL_IMAGES=(node-agent operator pause)
# the pause image's name: the registry kubelet and containerd expect it under
PAUSE_REPOSITORY="registry.k8s.io/pause"
# the Docker default PATH (what a FROM scratch / Debian image has)
DEFAULT_PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

log() { echo "images: $*" >&2; }
die() { echo "images: ERROR: $*" >&2; exit 1; }

ONLY=()
PRINT_CONFIG=0
REFRESH_BASE=0
PACKAGE=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --only) [[ $# -ge 2 ]] || die "--only needs a list, e.g. --only node-agent,pause"
            IFS=, read -r -a more <<<"$2"; ONLY+=("${more[@]}"); shift ;;
    --only=*) IFS=, read -r -a more <<<"${1#--only=}"; ONLY+=("${more[@]}") ;;
    --print-config) PRINT_CONFIG=1 ;;
    --refresh-base) REFRESH_BASE=1 ;;
    --package) PACKAGE=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (try --help)" ;;
  esac
  shift
done
[[ ${#ONLY[@]} -gt 0 ]] || ONLY=("${ALL_IMAGES[@]}")
for name in "${ONLY[@]}"; do
  [[ " ${ALL_IMAGES[*]} " == *" $name "* ]] || die "unknown image '$name' (one of: ${ALL_IMAGES[*]})"
done
[[ "$EPOCH" =~ ^[0-9]+$ ]] || die "SOURCE_DATE_EPOCH must be seconds since 1970, got '$EPOCH'"
CREATED=$(date -u -d "@$EPOCH" +%Y-%m-%dT%H:%M:%SZ)

# ---------------------------------------------------------------------------------------
# Reading a Dockerfile, the way Docker (and charts/src/test/.../Dockerfile.java) does: comments
# and blank lines dropped, continuation lines joined. One line per instruction:
#   STAGE<TAB>KEYWORD<TAB>ARGUMENTS      (STAGE: index of the FROM, -1 before the first)
df_instructions() {
  [[ -f "$1" ]] || die "no Dockerfile $1"
  awk '
    BEGIN { stage = -1; cur = "" }
    {
      line = $0
      sub(/^[ \t\r]+/, "", line); sub(/[ \t\r]+$/, "", line)
      if (line == "" || line ~ /^#/) next
      if (line ~ /\\$/) { cur = cur substr(line, 1, length(line) - 1) " "; next }
      text = cur line; cur = ""
      space = index(text, " ")
      if (space == 0) { kw = text; args = "" } else { kw = substr(text, 1, space - 1); args = substr(text, space + 1) }
      sub(/^[ \t]+/, "", args); sub(/[ \t]+$/, "", args)
      kw = toupper(kw)
      if (kw == "FROM") stage++
      print stage "\t" kw "\t" args
    }' "$1"
}

# The arguments of every KEYWORD instruction of stage STAGE, one a line.
df_in() { # FILE STAGE KEYWORD
  df_instructions "$1" | awk -F'\t' -v s="$2" -v k="$3" '$1 == s && $2 == k { sub(/^[^\t]*\t[^\t]*\t/, ""); print }'
}
df_final_stage() { df_instructions "$1" | awk -F'\t' '$2 == "FROM" { n = $1 } END { print n + 0 }'; }
df_stage_named() { # FILE NAME
  df_instructions "$1" | awk -F'\t' -v n="$2" '$2 == "FROM" { split($3, w, /[ \t]+/); if (tolower(w[2]) == "as" && w[3] == n) print $1 }'
}

# A JSON array of strings (exec form) into WORDS (a bash array); shell form becomes
# /bin/sh -c "...", as Docker does. Escapes are not supported: the script fails on them.
WORDS=()
exec_form() { # ARGUMENTS WHAT
  local s="$1" what="$2" re='^[[:space:]]*"([^"\\]*)"[[:space:]]*(,|$)'
  WORDS=()
  if [[ "$s" =~ ^[[:space:]]*\[(.*)\][[:space:]]*$ ]]; then
    s="${BASH_REMATCH[1]}"
    [[ "$s" != *\\* ]] || die "$what: escapes in the JSON array are not supported: $1"
    while [[ -n "${s//[[:space:]]/}" ]]; do
      [[ "$s" =~ $re ]] || die "$what: not a JSON array of strings: $1"
      WORDS+=("${BASH_REMATCH[1]}")
      s="${s:${#BASH_REMATCH[0]}}"
    done
  else
    WORDS=(/bin/sh -c "$s")
  fi
}

# ---------------------------------------------------------------------------------------
# What each image gets. Filled per image by configure_*; printed by --print-config.
IMG_NAME="" IMG_DOCKERFILE="" IMG_SOURCE="" IMG_FROM="" IMG_REPOSITORY="" IMG_TAGS=() IMG_TARBALL=""
IMG_PACKAGES=() IMG_RUN=() IMG_COPY_SOURCE="" IMG_COPY_DEST="" IMG_ENTRYPOINT=() IMG_CMD=()
IMG_USER="" IMG_WORKDIR="/" IMG_ENV=() IMG_EXPOSE=()

project_version() {
  local v
  v=$(awk '/<parent>/ { p = 1 } /<\/parent>/ { p = 0 }
           !p && /<artifactId>vrrp-operator-parent<\/artifactId>/ { a = 1; next }
           a && /<version>/ { sub(/.*<version>[ \t]*/, ""); sub(/[ \t]*<\/version>.*/, ""); print; exit }' "$ROOT/pom.xml")
  [[ -n "$v" ]] || die "cannot read the project version from $ROOT/pom.xml"
  echo "$v"
}

# The final stage's ENTRYPOINT, CMD, USER, WORKDIR, ENV, EXPOSE of a Dockerfile into IMG_*.
read_runtime_config() { # DOCKERFILE FINAL_STAGE
  local df="$1" final="$2" last
  last=$(df_in "$df" "$final" ENTRYPOINT | tail -1)
  IMG_ENTRYPOINT=()
  if [[ -n "$last" ]]; then exec_form "$last" "$df: ENTRYPOINT"; IMG_ENTRYPOINT=("${WORDS[@]}"); fi
  last=$(df_in "$df" "$final" CMD | tail -1)
  IMG_CMD=()
  if [[ -n "$last" ]]; then exec_form "$last" "$df: CMD"; IMG_CMD=("${WORDS[@]}"); fi
  IMG_USER=$(df_in "$df" "$final" USER | tail -1)
  last=$(df_in "$df" "$final" WORKDIR | tail -1)
  IMG_WORKDIR="${last:-/}"
  [[ "$IMG_WORKDIR" == /* ]] || die "$df: WORKDIR $IMG_WORKDIR is relative"
  local line word
  while IFS= read -r line; do
    [[ "$line" != *[\"\'\\]* ]] || die "$df: ENV with quotes or escapes is not supported: ENV $line"
    if [[ "$line" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; then
      for word in $line; do
        [[ "$word" == *=* ]] || die "$df: cannot read ENV $line"
        IMG_ENV+=("$word")
      done
    else
      IMG_ENV+=("${line%% *}=${line#* }") # legacy form: ENV KEY value with spaces
    fi
  done < <(df_in "$df" "$final" ENV)
  while IFS= read -r line; do
    for word in $line; do
      [[ "$word" == */* ]] || word="$word/tcp"
      IMG_EXPOSE+=("$word")
    done
  done < <(df_in "$df" "$final" EXPOSE)
}

# The command a RUN segment needs beyond the essential set (Debian package).
declare -A TOOL_PACKAGE=([groupadd]=passwd [useradd]=passwd [groupmod]=passwd [usermod]=passwd)

configure_java() { # MODULE
  local module="$1"
  local df="$ROOT/$module/Dockerfile"
  IMG_NAME="$module"
  IMG_DOCKERFILE="$module/Dockerfile"
  IMG_SOURCE="$IMG_DOCKERFILE"
  IMG_TARBALL="target/images/$module.oci.tar"
  local final build build_workdir
  final=$(df_final_stage "$df")
  build=$(df_stage_named "$df" build)
  [[ -n "$build" ]] || die "$df: no stage 'build' (FROM ... AS build)"
  build_workdir=$(df_in "$df" "$build" WORKDIR | tail -1)

  # the image name: the repository of the Dockerfile's documented `docker build -t`, tagged with
  # the pom version, and with the documented tag too (the chart's default)
  local documented
  documented=$(sed -n 's/^#.*docker build .*-t \([^ ]*\).*/\1/p' "$df" | head -1)
  [[ "$documented" == *:* ]] || die "$df: no 'docker build ... -t repository:tag' in its header"
  IMG_REPOSITORY="${documented%:*}"
  IMG_TAGS=("$(project_version)")
  [[ "${documented##*:}" == "${IMG_TAGS[0]}" ]] || IMG_TAGS+=("${documented##*:}")

  # the stand-in for the base image: Debian's JRE instead of Temurin's
  IMG_FROM=$(df_in "$df" "$final" FROM | awk '{ print $1 }')
  local arch
  arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
  case "$IMG_FROM" in
    eclipse-temurin:17*-jre*)
      IMG_PACKAGES=(openjdk-17-jre-headless)
      IMG_ENV=("PATH=$DEFAULT_PATH" "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-$arch" "LANG=C.UTF-8") ;;
    *) die "$df: no Debian stand-in for the base image $IMG_FROM (add one to configure_java in $0)" ;;
  esac

  # RUN: apt-get install -> packages; apt housekeeping dropped; anything else runs in the rootfs
  local run segment rest word tool
  IMG_RUN=()
  while IFS= read -r run; do
    local keep=()
    rest="$run"
    while [[ -n "$rest" ]]; do
      if [[ "$rest" == *"&&"* ]]; then segment="${rest%%&&*}"; rest="${rest#*&&}"; else segment="$rest"; rest=""; fi
      segment=$(echo "$segment" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
      [[ -n "$segment" ]] || continue
      if [[ "$segment" =~ ^apt-get[[:space:]]+(-[^[:space:]]+[[:space:]]+)*install[[:space:]] ]]; then
        for word in ${segment#*install}; do
          [[ "$word" == -* ]] || IMG_PACKAGES+=("$word")
        done
      elif [[ "$segment" =~ ^apt-get[[:space:]]+update$ || "$segment" == "rm -rf /var/lib/apt/lists/*" ]]; then
        : # mmdebstrap leaves no apt lists behind
      else
        keep+=("$segment")
        tool="${segment%% *}"
        if [[ -n "${TOOL_PACKAGE[$tool]:-}" && " ${IMG_PACKAGES[*]} " != *" ${TOOL_PACKAGE[$tool]} "* ]]; then
          IMG_PACKAGES+=("${TOOL_PACKAGE[$tool]}")
        fi
      fi
    done
    if [[ ${#keep[@]} -gt 0 ]]; then
      local joined="${keep[0]}" i
      for ((i = 1; i < ${#keep[@]}; i++)); do joined+=" && ${keep[$i]}"; done
      IMG_RUN+=("$joined")
    fi
  done < <(df_in "$df" "$final" RUN)

  # the jar: the one COPY --from=build of the final stage, its source relative to the build WORKDIR
  local copies
  copies=$(df_in "$df" "$final" COPY)
  [[ $(grep -c . <<<"$copies") -eq 1 && "$copies" == --from=build\ * ]] \
    || die "$df: expected exactly one COPY in the final stage, COPY --from=build <jar> <path>; got: $copies"
  [[ -z "$(df_in "$df" "$final" ADD)" ]] || die "$df: ADD in the final stage is not supported"
  read -r -a words <<<"${copies#--from=build }"
  [[ ${#words[@]} -eq 2 ]] || die "$df: COPY --from=build needs one source and one destination: $copies"
  [[ -n "$build_workdir" && "${words[0]}" == "$build_workdir"/* ]] \
    || die "$df: the jar ${words[0]} is not under the build stage's WORKDIR '$build_workdir'"
  IMG_COPY_SOURCE="${words[0]#"$build_workdir"/}"
  IMG_COPY_DEST="${words[1]}"
  [[ "$IMG_COPY_DEST" == /* && "$IMG_COPY_DEST" != */ ]] || die "$df: COPY destination must be an absolute file path: $IMG_COPY_DEST"

  read_runtime_config "$df" "$final"
}

# kubernetes' build/pause from the Go module cache (fetched with go mod download when missing)
PAUSE_DIR=""
K8S=""
kubernetes_source() {
  [[ -z "$PAUSE_DIR" ]] || return 0
  K8S="${K8S_VERSION:-}"
  if [[ -z "$K8S" ]]; then
    local vf="$ROOT/local-lab/src/main/java/dev/vrrp/lab/KubernetesVersion.java"
    K8S=$(sed -n 's/.*String VERSION = "\([0-9.]*\)";.*/\1/p' "$vf" 2>/dev/null | head -1)
    [[ -n "$K8S" ]] || die "cannot read the Kubernetes version from $vf"
  fi
  K8S="${K8S#v}"
  command -v go >/dev/null 2>&1 || die "'go' is not on PATH: it fetches the kubernetes source (k8s.io/kubernetes@v$K8S) for the pause image"
  local modcache dir
  modcache=$(GOWORK=off go env GOMODCACHE) || die "go env GOMODCACHE failed"
  dir="$modcache/k8s.io/kubernetes@v$K8S"
  if [[ ! -f "$dir/build/pause/linux/pause.c" ]]; then
    log "fetching k8s.io/kubernetes v$K8S into the Go module cache (go mod download)"
    local tmp json
    tmp=$(mktemp -d)
    json=$(cd "$tmp" && GOWORK=off GOFLAGS='' go mod download -json "k8s.io/kubernetes@v$K8S") \
      || { rm -rf "$tmp"; die "go mod download k8s.io/kubernetes@v$K8S failed: $json"; }
    rm -rf "$tmp"
    dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$json" | head -1)
  fi
  [[ -f "$dir/build/pause/linux/pause.c" ]] || die "no build/pause/linux/pause.c in $dir"
  PAUSE_DIR="$dir/build/pause"
}

PAUSE_CFLAGS=()
configure_pause() {
  kubernetes_source
  local df="$PAUSE_DIR/Dockerfile" mk="$PAUSE_DIR/Makefile" final tag base cflags
  IMG_NAME=pause
  IMG_DOCKERFILE="$df"
  IMG_SOURCE="k8s.io/kubernetes@v$K8S/build/pause/Dockerfile" # no machine path in the image
  IMG_TARBALL="target/images/pause.oci.tar"
  tag=$(sed -n 's/^TAG[[:space:]]*?=[[:space:]]*\([^[:space:]]*\).*/\1/p' "$mk" | head -1)
  [[ -n "$tag" ]] || die "$mk: no 'TAG ?= ...'"
  IMG_REPOSITORY="$PAUSE_REPOSITORY"
  IMG_TAGS=("$tag")
  base=$(sed -n 's/^BASE\.linux[[:space:]]*:*=[[:space:]]*\([^[:space:]]*\).*/\1/p' "$mk" | head -1)
  [[ "$base" == scratch ]] || die "$mk: BASE.linux is '$base', this script builds pause FROM scratch only"
  IMG_FROM=scratch
  IMG_PACKAGES=()
  IMG_RUN=()
  IMG_ENV=("PATH=$DEFAULT_PATH") # what docker build gives a FROM scratch image
  final=$(df_final_stage "$df")
  local add
  add=$(df_in "$df" "$final" ADD)
  [[ $(grep -c . <<<"$add") -eq 1 ]] || die "$df: expected one ADD (the binary), got: $add"
  IMG_COPY_SOURCE="pause (gcc -static build/pause/linux/pause.c)"
  IMG_COPY_DEST="${add##* }"
  [[ -z "$(df_in "$df" "$final" RUN)$(df_in "$df" "$final" COPY)" ]] || die "$df: RUN/COPY in the final stage are not supported"
  read_runtime_config "$df" "$final"
  # the compiler flags of the Makefile, $(TAG) and $(REV) filled in (REV: the kubernetes version
  # instead of git describe, which a module has no history for)
  cflags=$(sed -n 's/^CFLAGS[[:space:]]*=[[:space:]]*//p' "$mk" | head -1)
  cflags="${cflags//\$(TAG)/$tag}"
  cflags="${cflags//\$(REV)/v$K8S}"
  [[ -n "$cflags" && "$cflags" != *'$('* && "$cflags" == *-static* ]] || die "$mk: cannot use CFLAGS '$cflags'"
  read -r -a PAUSE_CFLAGS <<<"$cflags"
}

configure() { # NAME
  IMG_ENV=() IMG_EXPOSE=() IMG_PACKAGES=() IMG_RUN=()
  case "$1" in
    pause) configure_pause ;;
    *) configure_java "$1" ;;
  esac
}

print_config() {
  local w
  echo "image $IMG_NAME"
  echo "dockerfile $IMG_DOCKERFILE"
  echo "from $IMG_FROM"
  echo "repository $IMG_REPOSITORY"
  for w in "${IMG_TAGS[@]}"; do echo "tag $w"; done
  echo "tarball $IMG_TARBALL"
  for w in "${IMG_PACKAGES[@]}"; do echo "package $w"; done
  for w in "${IMG_RUN[@]}"; do echo "run $w"; done
  echo "copy-source $IMG_COPY_SOURCE"
  echo "copy-destination $IMG_COPY_DEST"
  for w in "${IMG_ENTRYPOINT[@]}"; do echo "entrypoint $w"; done
  for w in "${IMG_CMD[@]}"; do echo "cmd $w"; done
  echo "user $IMG_USER"
  echo "workdir $IMG_WORKDIR"
  for w in "${IMG_ENV[@]}"; do echo "env $w"; done
  for w in "${IMG_EXPOSE[@]}"; do echo "expose $w"; done
  echo
}

if [[ $PRINT_CONFIG -eq 1 ]]; then
  for name in "${ONLY[@]}"; do
    configure "$name"
    print_config
  done
  exit 0
fi

# ---------------------------------------------------------------------------------------
# Building. Root, the tools (installed with apt-get when missing), the jars.
STARTED=$(date +%s)
[[ $EUID -eq 0 ]] || die "run as root: mmdebstrap --mode=root builds the base and apt-get installs the tools"

APT_UPDATED=0
need_packages() { # PACKAGE... (installed with apt-get when missing)
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [[ ${#missing[@]} -gt 0 ]] || return 0
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and there is no apt-get to install them"
  if [[ $APT_UPDATED -eq 0 ]]; then
    log "apt-get update (to install ${missing[*]})"
    apt-get update -q >&2 || die "apt-get update failed (network to the Debian mirrors?); needed for ${missing[*]}"
    APT_UPDATED=1
  fi
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 \
    || die "apt-get install ${missing[*]} failed"
}

tools=(umoci skopeo jq)
wants_debian=0
wants_pause=0
for name in "${ONLY[@]}"; do
  case "$name" in pause) wants_pause=1 ;; *) wants_debian=1 ;; esac
done
[[ $wants_debian -eq 0 ]] || tools+=(mmdebstrap)
[[ $wants_pause -eq 0 ]] || tools+=(gcc libc6-dev binutils)
need_packages "${tools[@]}"
log "tools: $(umoci --version), $(skopeo --version)$([[ $wants_debian -eq 0 ]] || echo ", $(mmdebstrap --version)")"

# the jars
jars=()
for name in "${ONLY[@]}"; do
  [[ "$name" == pause ]] || jars+=("$name")
done
if [[ ${#jars[@]} -gt 0 ]]; then
  missing=()
  for m in "${jars[@]}"; do [[ -f "$ROOT/$m/target/$m.jar" ]] || missing+=("$m"); done
  if [[ $PACKAGE -eq 1 || ${#missing[@]} -gt 0 ]]; then
    list=$(IFS=,; echo "${jars[*]}")
    log "building the jars: ./mvnw -B -q -DskipTests -pl $list -am package"
    s=$(date +%s)
    (cd "$ROOT" && ./mvnw -B -q -DskipTests -pl "$list" -am package) >&2 || die "./mvnw package -pl $list failed"
    log "jars built in $(( $(date +%s) - s ))s"
  fi
fi

mkdir -p "$OUT_DIR" "$CACHE"
WORK=$(mktemp -d "$OUT_DIR/.work.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# "$@" as a compact JSON array of strings (not jq --args: it takes "--" for the end of options)
json_array() {
  if [[ $# -eq 0 ]]; then echo '[]'; return; fi
  local w
  for w in "$@"; do [[ "$w" != *$'\n'* ]] || die "a value with a line break is not supported: $w"; done
  printf '%s\n' "$@" | jq -nRc '[inputs]'
}

human() { numfmt --to=iec-i --suffix=B "$1" 2>/dev/null || echo "$1 bytes"; }

# ---------------------------------------------------------------------------------------
# The Debian base of an image: an OCI layout with one layer, tag "base", cached by recipe.
BASE_LAYOUT=""
BASE_NOTE=""
debian_base() {
  local arch
  arch=$(dpkg --print-architecture)
  local opts=(
    --mode=root --variant=essential --architectures="$arch"
    --include="$(IFS=,; echo "${IMG_PACKAGES[*]}")"
    # no man pages, docs (but the copyrights) or translations
    --dpkgopt='path-exclude=/usr/share/man/*'
    --dpkgopt='path-exclude=/usr/share/doc/*'
    --dpkgopt='path-include=/usr/share/doc/*/copyright'
    --dpkgopt='path-exclude=/usr/share/info/*'
    --dpkgopt='path-exclude=/usr/share/locale/*'
    --dpkgopt='path-exclude=/usr/share/lintian/*'
    # the JRE's postinst registers java.1.gz as an alternative's slave and fails without the folder
    --setup-hook='mkdir -p "$1/usr/share/man/man1"'
    # no device nodes in the layer: the runtime mounts /dev
    --skip=output/dev
  )
  local sources=(
    "deb $MIRROR $SUITE main"
    "deb $MIRROR $SUITE-updates main"
    "deb $SECURITY_MIRROR $SUITE-security main"
  )
  # the customize hook: the Dockerfile's other RUN commands, then checks that what the image runs
  # is there
  local hook="$WORK/customize-$IMG_NAME.sh"
  {
    echo '#!/bin/sh'
    echo '# generated by scripts/images.sh; $1 is the root filesystem'
    echo 'set -eu'
    local r
    for r in "${IMG_RUN[@]}"; do
      printf 'echo %q >&2\n' "images: in the rootfs: $r"
      printf 'chroot "$1" /bin/sh -c %q\n' "$r"
    done
    local e env_args=()
    for e in "${IMG_ENV[@]}"; do env_args+=("$(printf '%q' "$e")"); done
    local program
    for program in "${IMG_ENTRYPOINT[0]:-}" "${IMG_CMD[0]:-}"; do
      [[ -n "$program" ]] || continue
      printf 'chroot "$1" /usr/bin/env -i %s /bin/sh -c %q _ %q || { echo "images: %s is not in the image (PATH of the image)" >&2; exit 1; }\n' \
        "${env_args[*]}" 'command -v "$1" >/dev/null' "$program" "$program"
    done
    if [[ " ${IMG_PACKAGES[*]} " == *" openjdk-17-jre-headless "* ]]; then
      printf 'chroot "$1" /usr/bin/env -i %s /bin/sh -c %q >&2\n' "${env_args[*]}" '"$JAVA_HOME/bin/java" -version'
    fi
    # not $1/tmp: mmdebstrap keeps its apt configuration there until its own cleanup
    echo 'rm -rf "$1"/var/cache/ldconfig/aux-cache "$1"/var/log/*'
  } >"$hook"
  chmod 755 "$hook"

  local key
  key=$( { echo "recipe 1"; printf '%s\n' "$SUITE" "${sources[@]}" "${opts[@]}"; cat "$hook"; } | sha256sum | cut -c1-16)
  local dir="$CACHE/base-$IMG_NAME-$key"
  BASE_LAYOUT="$dir/layout"

  exec 9>"$CACHE/.lock"
  flock 9 || die "cannot lock $CACHE/.lock"
  if [[ $REFRESH_BASE -eq 0 && -f "$dir/complete" ]]; then
    BASE_NOTE="cached $(cat "$dir/complete")"
    log "$IMG_NAME: base cached in $dir (built $(cat "$dir/complete"); --refresh-base rebuilds it)"
    exec 9>&-
    return 0
  fi

  log "$IMG_NAME: building the Debian base ($SUITE, $arch: ${IMG_PACKAGES[*]}; about 2 minutes)"
  log "  mmdebstrap ${opts[*]} --customize-hook=<$hook> $SUITE <tar> ${sources[*]}"
  local s tmp
  s=$(date +%s)
  tmp=$(mktemp -d "$CACHE/.build-$IMG_NAME.XXXXXX")
  mmdebstrap "${opts[@]}" --customize-hook="$hook" "$SUITE" "$tmp/rootfs.tar" "${sources[@]}" >&2 \
    || { rm -rf "$tmp"; die "$IMG_NAME: mmdebstrap failed (see its output above)"; }
  local t_debootstrap=$(( $(date +%s) - s ))
  tar -xOf "$tmp/rootfs.tar" ./var/lib/dpkg/status \
    | awk '/^Package:/ { p = $2 } /^Version:/ { print p " " $2 }' | sort >"$tmp/packages.txt" \
    || { rm -rf "$tmp"; die "$IMG_NAME: cannot read the package list of the new rootfs"; }
  log "$IMG_NAME: rootfs in ${t_debootstrap}s: $(wc -l <"$tmp/packages.txt") packages, $(human "$(stat -c %s "$tmp/rootfs.tar")") as tar"
  ( set -e
    umoci init --layout "$tmp/layout"
    umoci new --image "$tmp/layout:base"
    umoci raw add-layer --image "$tmp/layout:base" \
      --history.created_by "mmdebstrap --variant=essential $SUITE: ${IMG_PACKAGES[*]}" \
      --history.comment "stands in for FROM $IMG_FROM and the RUNs of $IMG_SOURCE" \
      "$tmp/rootfs.tar"
  ) >&2 || { rm -rf "$tmp"; die "$IMG_NAME: umoci could not make the base layer"; }
  rm -f "$tmp/rootfs.tar"
  printf '%s\n' "$SUITE" "${sources[@]}" "${opts[@]}" >"$tmp/recipe.txt"
  cp "$hook" "$tmp/customize.sh"
  date -u +%Y-%m-%dT%H:%M:%SZ >"$tmp/complete"
  rm -rf "$dir"
  mv "$tmp" "$dir"
  BASE_NOTE="built in $(( $(date +%s) - s ))s"
  log "$IMG_NAME: base built in $(( $(date +%s) - s ))s, cached in $dir"
  exec 9>&-
}

# ---------------------------------------------------------------------------------------
# One image: base (Debian or empty), the application file as a reproducible layer, the config
# from the Dockerfile, the tarball.
declare -a SUMMARY=()
build_image() { # NAME
  local name="$1" s
  s=$(date +%s)
  configure "$name"
  local layout="$WORK/$name/layout" stage="$WORK/$name/stage" file
  mkdir -p "$stage"

  if [[ "$name" == pause ]]; then
    log "pause: gcc ${PAUSE_CFLAGS[*]} $PAUSE_DIR/linux/pause.c"
    file="$WORK/$name/pause"
    gcc "${PAUSE_CFLAGS[@]}" -o "$file" "$PAUSE_DIR/linux/pause.c" >&2 || die "pause: gcc failed"
    strip "$file" || die "pause: strip failed"
    "$file" -v >&2 || die "pause: the binary does not run"
    umoci init --layout "$layout" >&2 && umoci new --image "$layout:base" >&2 || die "pause: umoci init/new failed"
    BASE_NOTE="scratch"
  else
    file="$ROOT/$IMG_COPY_SOURCE"
    [[ -f "$file" ]] || die "$name: no $IMG_COPY_SOURCE (./mvnw -pl $name -am package)"
    log "$name: jar $IMG_COPY_SOURCE ($(human "$(stat -c %s "$file")"), sha256 $(sha256sum "$file" | cut -c1-16)..., built $(date -r "$file" '+%F %T'))"
    debian_base
    # a copy of the cached layout: blobs hard-linked (umoci never rewrites a blob), the rest copied
    mkdir -p "$layout/blobs/sha256"
    cp "$BASE_LAYOUT/oci-layout" "$BASE_LAYOUT/index.json" "$layout/"
    cp -l "$BASE_LAYOUT"/blobs/sha256/* "$layout/blobs/sha256/" 2>/dev/null \
      || cp "$BASE_LAYOUT"/blobs/sha256/* "$layout/blobs/sha256/" || die "$name: cannot copy the base layout"
  fi

  # the application layer: the file at its destination, every entry root-owned, fixed mode and mtime
  local dest="${IMG_COPY_DEST#/}" top
  top="${dest%%/*}"
  mkdir -p "$stage/$(dirname "$dest")"
  cp "$file" "$stage/$dest"
  chown -R 0:0 "$stage"
  find "$stage" -type d -exec chmod 0755 {} +
  if [[ "$name" == pause ]]; then chmod 0755 "$stage/$dest"; else chmod 0644 "$stage/$dest"; fi
  find "$stage" -exec touch -h -d "@$EPOCH" {} +
  # GNU tar, not umoci insert: umoci 0.4.7 (Debian 12) leaves the tar writer of an inserted layer
  # unclosed, so the layer lacks its padding and end blocks (opencontainers/umoci#436, fixed by
  # #534 in a later release); GNU tar and most scanners reject such a layer
  local tag="${IMG_TAGS[0]}"
  tar --format=ustar --sort=name --mtime="@$EPOCH" --owner=0 --group=0 --numeric-owner \
    -C "$stage" -cf "$WORK/$name/layer.tar" "$top" || die "$name: tar of the application layer failed"
  umoci raw add-layer --image "$layout:base" --tag "$tag" \
    --history.created "$CREATED" \
    --history.created_by "COPY $IMG_COPY_SOURCE $IMG_COPY_DEST" \
    "$WORK/$name/layer.tar" >&2 || die "$name: umoci raw add-layer failed"

  local config=(--image "$layout:$tag" --created "$CREATED" --history.created "$CREATED"
                --history.created_by "config of $IMG_SOURCE" --config.workingdir="$IMG_WORKDIR")
  local w
  for w in "${IMG_ENTRYPOINT[@]}"; do config+=("--config.entrypoint=$w"); done
  for w in "${IMG_CMD[@]}"; do config+=("--config.cmd=$w"); done
  for w in "${IMG_ENV[@]}"; do config+=("--config.env=$w"); done
  for w in "${IMG_EXPOSE[@]}"; do config+=("--config.exposedports=$w"); done
  [[ -z "$IMG_USER" ]] || config+=("--config.user=$IMG_USER")
  umoci config "${config[@]}" >&2 || die "$name: umoci config failed"
  for w in "${IMG_TAGS[@]:1}"; do umoci tag --image "$layout:$tag" "$w" >&2 || die "$name: umoci tag $w failed"; done
  umoci rm --image "$layout:base" >&2 && umoci gc --layout "$layout" >&2 || die "$name: umoci rm/gc failed"

  # containerd names the imported image after io.containerd.image.name (the OCI ref.name is only a tag)
  jq --arg repo "$IMG_REPOSITORY" \
    '.manifests |= map(.annotations["io.containerd.image.name"] = $repo + ":" + .annotations["org.opencontainers.image.ref.name"])' \
    "$layout/index.json" >"$layout/index.json.new" && mv "$layout/index.json.new" "$layout/index.json" \
    || die "$name: cannot annotate index.json"

  local tarball="$ROOT/$IMG_TARBALL"
  tar --format=ustar --sort=name --mtime="@$EPOCH" --owner=0 --group=0 --numeric-owner \
    --mode='u+rwX,go+rX,go-w' -C "$layout" -cf "$tarball.tmp" oci-layout index.json blobs \
    || die "$name: tar failed"
  mv "$tarball.tmp" "$tarball"

  # check the tarball as a reader sees it, and the config against what this script meant to set
  local manifest_digest inspect cfg
  manifest_digest=$(jq -r '.manifests[0].digest' "$layout/index.json")
  inspect=$(skopeo inspect "oci-archive:$tarball:$tag") || die "$name: skopeo cannot read $tarball"
  cfg=$(skopeo inspect --config "oci-archive:$tarball:$tag") || die "$name: skopeo cannot read the config of $tarball"
  [[ $(jq -r .Digest <<<"$inspect") == "$manifest_digest" ]] || die "$name: skopeo sees manifest $(jq -r .Digest <<<"$inspect"), expected $manifest_digest"
  local want got
  want=$(json_array "${IMG_ENTRYPOINT[@]}"); got=$(jq -c '.config.Entrypoint // []' <<<"$cfg")
  [[ "$want" == "$got" ]] || die "$name: entrypoint in $tarball is $got, expected $want"
  want=$(json_array "${IMG_CMD[@]}"); got=$(jq -c '.config.Cmd // []' <<<"$cfg")
  [[ "$want" == "$got" ]] || die "$name: cmd in $tarball is $got, expected $want"
  want=$(json_array "${IMG_ENV[@]}"); got=$(jq -c '.config.Env // []' <<<"$cfg")
  [[ "$want" == "$got" ]] || die "$name: env in $tarball is $got, expected $want"
  [[ $(jq -r '.config.User // ""' <<<"$cfg") == "$IMG_USER" ]] || die "$name: user in $tarball is not '$IMG_USER'"
  [[ $(jq -r '.config.WorkingDir // ""' <<<"$cfg") == "$IMG_WORKDIR" ]] || die "$name: workdir in $tarball is not '$IMG_WORKDIR'"

  local manifest n i line
  manifest="$layout/blobs/sha256/${manifest_digest#sha256:}"
  n=$(jq '.layers | length' "$manifest")
  line="$name  $IMG_REPOSITORY:$(IFS=,; echo "${IMG_TAGS[*]}")  $IMG_TARBALL  $(human "$(stat -c %s "$tarball")")  ($(( $(date +%s) - s ))s)"
  SUMMARY+=("$line")
  SUMMARY+=("    manifest  $manifest_digest")
  SUMMARY+=("    config    $(jq -r .config.digest "$manifest")")
  for ((i = 0; i < n; i++)); do
    local what
    if ((i == n - 1)); then what="app   $IMG_COPY_SOURCE -> $IMG_COPY_DEST"; else what="base  $IMG_FROM stand-in, $BASE_NOTE"; fi
    [[ "$name" != pause ]] || what="app   $IMG_COPY_SOURCE -> $IMG_COPY_DEST"
    SUMMARY+=("    layer $((i + 1))   $(jq -r ".layers[$i].digest" "$manifest")  $(human "$(jq -r ".layers[$i].size" "$manifest")")  $what")
  done
  log "$name: $IMG_TARBALL written in $(( $(date +%s) - s ))s"
}

for name in "${ONLY[@]}"; do
  build_image "$name"
done

echo "images: built ${ONLY[*]} in $(( $(date +%s) - STARTED ))s"
printf '%s\n' "${SUMMARY[@]}"
