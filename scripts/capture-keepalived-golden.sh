#!/usr/bin/env bash
# Capture golden VRRP adverts from the real keepalived (Debian package) for the
# codec tests in vrrp/.
#
# For each case in scripts/golden/<case>.conf this script
#   1. creates a fresh pair of network namespaces vrrpgold-<pid>-a / -b joined
#      by a veth pair (gold0 in -a, gold1 in -b) with documentation addresses
#      and documentation MACs (RFC 7042: 00:00:5e:00:53:xx),
#   2. runs keepalived in -a (foreground, private pid files, VRRP only),
#   3. captures VRRP (IP protocol 112) with tcpdump on gold1 in -b, i.e. what a
#      peer receives,
#   4. picks one advert and writes the whole IP packet (from the IPv4/IPv6
#      header on, no Ethernet header) as lowercase hex to
#      vrrp/src/test/resources/golden/keepalived/<case>.hex,
#   5. deletes the namespaces again.
# Finally it regenerates vrrp/src/test/resources/golden/keepalived/README.md with
# the keepalived version, each config and the fields tshark decodes.
#
# Needs root, iproute2, keepalived, tcpdump and tshark:
#   apt-get install -y keepalived tcpdump tshark
# Usage: sudo scripts/capture-keepalived-golden.sh [OUTPUT_DIR]
# Traffic never leaves the namespaces this script creates; everything it
# starts is stopped and its namespaces are deleted on exit, also on failure.

set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/.." && pwd)
CONF_DIR="$SCRIPT_DIR/golden"
OUT_DIR=${1:-"$REPO_DIR/vrrp/src/test/resources/golden/keepalived"}

NS_A="vrrpgold-$$-a"
NS_B="vrrpgold-$$-b"
IF_A=gold0
IF_B=gold1
MAC_A=00:00:5e:00:53:01
MAC_B=00:00:5e:00:53:02

# case name | VRID | priority of the advert to keep | how
#   run  : keep the first advert with that priority while keepalived is master
#   stop : send SIGTERM to keepalived and keep the priority-0 advert it sends
#   run-if-keyword=KW : like run, but skipped when keepalived rejects keyword KW
CASES=(
  "v2-pass-ipv4|51|150|run"
  "v3-ipv4|52|150|run"
  "v3-ipv4-checksum-as-v2|53|150|run-if-keyword=v3_checksum_as_v2"
  "v3-ipv6|54|150|run"
  "v3-ipv4-100ms|55|150|run"
  "v3-priority0-ipv4|52|0|stop"
  "v3-ipv4-unicast|56|150|run"
  "v3-ipv4-unicast-old-checksum|57|150|run-if-keyword=old_unicast_checksum"
)

log() { printf '[capture-golden] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces, raw sockets)"
for tool in ip keepalived tcpdump tshark; do
  command -v "$tool" >/dev/null || die "$tool not found (apt-get install -y keepalived tcpdump tshark)"
done

WORK=$(mktemp -d /tmp/vrrpgold.XXXXXX)
STARTED_PIDS=()

stop_pid() { # pid: SIGTERM, wait up to 5 s, then SIGKILL
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

delete_namespaces() {
  local ns pid
  for ns in "$NS_A" "$NS_B"; do
    ip netns list 2>/dev/null | awk '{print $1}' | grep -qxF -- "$ns" || continue
    # Anything still running in our own namespace was started by this script.
    for pid in $(ip netns pids "$ns" 2>/dev/null); do
      kill -KILL "$pid" 2>/dev/null || true
    done
    ip netns del "$ns" 2>/dev/null || true
  done
}

cleanup() {
  local rc=$? pid
  for pid in "${STARTED_PIDS[@]}"; do stop_pid "$pid"; done
  STARTED_PIDS=()
  delete_namespaces
  if [ -n "${KEEP_WORK:-}" ]; then log "kept work dir $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

setup_namespaces() {
  ip netns add "$NS_A"
  ip netns add "$NS_B"
  for ns in "$NS_A" "$NS_B"; do
    # No duplicate address detection: link-local usable at once, no tentative state.
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
    ip -n "$ns" link set lo up
  done
  ip -n "$NS_A" link add "$IF_A" address "$MAC_A" type veth peer name "$IF_B" address "$MAC_B" netns "$NS_B"
  # EUI-64 link-local from the fixed MAC, so the IPv6 source is reproducible.
  ip netns exec "$NS_A" sysctl -qw "net.ipv6.conf.$IF_A.addr_gen_mode=0"
  ip netns exec "$NS_B" sysctl -qw "net.ipv6.conf.$IF_B.addr_gen_mode=0"
  ip -n "$NS_A" addr add 192.0.2.1/24 dev "$IF_A"
  ip -n "$NS_A" addr add 2001:db8::1/64 dev "$IF_A" nodad
  ip -n "$NS_B" addr add 192.0.2.2/24 dev "$IF_B"
  ip -n "$NS_B" addr add 2001:db8::2/64 dev "$IF_B" nodad
  ip -n "$NS_A" link set "$IF_A" up
  ip -n "$NS_B" link set "$IF_B" up
}

keepalived_cmd() { # conf dir
  local conf=$1 dir=$2
  echo keepalived --dont-fork --log-console --log-detail --no-syslog --vrrp \
    --use-file="$conf" --pid="$dir/keepalived.pid" --vrrp_pid="$dir/vrrp.pid" \
    --checkers_pid="$dir/checkers.pid" --bfd_pid="$dir/bfd.pid"
}

wait_for_file_text() { # file pattern timeout_seconds
  local file=$1 pattern=$2 timeout=$3 i
  for i in $(seq $((timeout * 10))); do
    grep -q -- "$pattern" "$file" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# Whole IP packet of the only frame in a pcap, as one lowercase hex string.
# tcpdump -x prints the packet without the link-level header, cut to the IP length.
ip_hex_of() {
  tcpdump -n -x -r "$1" 2>/dev/null | awk '/^[[:space:]]+0x[0-9a-f]+:/ { for (i = 2; i <= NF; i++) printf "%s", $i }'
}

check_ip_length() { # hex
  local hex=$1 expected
  case ${hex:0:1} in
    4) expected=$(( 16#${hex:4:4} * 2 )) ;;
    6) expected=$(( (40 + 16#${hex:8:4}) * 2 )) ;;
    *) die "captured packet is neither IPv4 nor IPv6: ${hex:0:16}" ;;
  esac
  [ "${#hex}" -eq "$expected" ] || die "captured packet has ${#hex} hex digits, IP header says $expected"
}

write_hex() { # hex file: 16 bytes a line, bytes separated by spaces; replaced atomically
  printf '%s\n' "$1" | fold -w 32 | sed -e 's/../& /g' -e 's/ $//' > "$WORK/hex.tmp"
  mv -f "$WORK/hex.tmp" "$2"
}

run_case() { # name vrid prio how
  local name=$1 vrid=$2 prio=$3 how=$4
  local conf="$CONF_DIR/$name.conf" dir="$WORK/$name"
  [ -f "$conf" ] || die "missing $conf"
  mkdir -p "$dir"
  setup_namespaces

  if [[ $how == run-if-keyword=* ]]; then
    local keyword=${how#run-if-keyword=}
    ip netns exec "$NS_A" keepalived --config-test --use-file="$conf" >"$dir/config-test.log" 2>&1 || true
    if grep -q "Unknown keyword '$keyword'" "$dir/config-test.log"; then
      log "$name: SKIPPED, this keepalived does not know '$keyword'"
      echo "$(keepalived_version) rejects the keyword \`$keyword\` (\"Unknown keyword\" from \`keepalived --config-test\`)" > "$dir/skipped"
      delete_namespaces
      return 0
    fi
    how=run
  fi

  log "$name: capturing (VRID $vrid, priority $prio)"
  local pcap="$dir/capture.pcap"
  ip netns exec "$NS_B" tcpdump -i "$IF_B" -n -U -s 0 -w "$pcap" 'ip proto 112 or ip6 proto 112' \
    >"$dir/tcpdump.log" 2>&1 &
  local tcpdump_pid=$!
  STARTED_PIDS+=("$tcpdump_pid")
  wait_for_file_text "$dir/tcpdump.log" "listening on" 10 || die "$name: tcpdump did not start: $(cat "$dir/tcpdump.log")"

  # shellcheck disable=SC2046
  ip netns exec "$NS_A" $(keepalived_cmd "$conf" "$dir") >"$dir/keepalived.log" 2>&1 &
  local keepalived_pid=$!
  STARTED_PIDS+=("$keepalived_pid")
  wait_for_file_text "$dir/keepalived.log" "Entering MASTER STATE" 20 \
    || { cat "$dir/keepalived.log" >&2; die "$name: keepalived did not become master"; }
  sleep 3

  if [ "$how" = stop ]; then
    kill -TERM "$keepalived_pid"
    local i
    for i in $(seq 100); do kill -0 "$keepalived_pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$keepalived_pid" 2>/dev/null && die "$name: keepalived did not stop on SIGTERM"
    wait "$keepalived_pid" 2>/dev/null || true
    sleep 1
  fi
  stop_pid "$keepalived_pid"
  stop_pid "$tcpdump_pid"
  STARTED_PIDS=()
  delete_namespaces

  local frame
  frame=$(tshark -r "$pcap" -Y "vrrp.virt_rtr_id == $vrid && vrrp.prio == $prio" -T fields -e frame.number 2>/dev/null | head -n 1)
  [ -n "$frame" ] || { cat "$dir/keepalived.log" >&2; die "$name: no advert with VRID $vrid and priority $prio captured"; }
  tshark -r "$pcap" -Y "frame.number == $frame" -w "$dir/advert.pcap" 2>/dev/null
  local hex
  hex=$(ip_hex_of "$dir/advert.pcap")
  check_ip_length "$hex"
  write_hex "$hex" "$OUT_DIR/$name.hex"
  echo "$frame" > "$dir/frame"
  log "$name: wrote $OUT_DIR/$name.hex ($(( ${#hex} / 2 )) bytes, frame $frame of $(tshark -r "$pcap" 2>/dev/null | wc -l))"
}

keepalived_version() { keepalived --version 2>&1 | head -n 1; }

# RFC 1071 internet checksum of a hex string.
inet_checksum() {
  local hex=$1 sum=0 i
  (( ${#hex} % 4 == 0 )) || hex+=00
  for (( i = 0; i < ${#hex}; i += 4 )); do sum=$(( sum + 16#${hex:i:4} )); done
  while (( sum >> 16 )); do sum=$(( (sum & 0xffff) + (sum >> 16) )); done
  printf '0x%04x' $(( ~sum & 0xffff ))
}

# The VRRP checksum of a captured packet computed the ways implementations differ on.
checksum_variants() {
  local hex=$1 vrrp len
  if [ "${hex:0:1}" = 4 ]; then
    local ihl=$(( 16#${hex:1:1} * 8 ))
    vrrp=${hex:ihl}; vrrp=${vrrp:0:12}0000${vrrp:16}; len=$(printf '%04x' $(( ${#vrrp} / 2 )))
    printf 'VRRP message only: %s; with IPv4 pseudo-header (src, dst, 0, 112, length): %s; with pseudo-header but dst 224.0.0.18: %s' \
      "$(inet_checksum "$vrrp")" "$(inet_checksum "${hex:24:8}${hex:32:8}0070${len}${vrrp}")" \
      "$(inet_checksum "${hex:24:8}e00000120070${len}${vrrp}")"
  else
    vrrp=${hex:80}; vrrp=${vrrp:0:12}0000${vrrp:16}; len=$(printf '%08x' $(( ${#vrrp} / 2 )))
    printf 'VRRP message only: %s; with IPv6 pseudo-header (RFC 8200 8.1): %s' \
      "$(inet_checksum "$vrrp")" "$(inet_checksum "${hex:16:64}${len}00000070${vrrp}")"
  fi
}

checksum_status_name() {
  case $1 in 0) echo Bad ;; 1) echo Good ;; 2) echo Unverified ;; '') echo - ;; *) echo "$1" ;; esac
}

field() { # pcap field [extra tshark args]: all occurrences, comma separated
  local pcap=$1 f=$2; shift 2
  tshark -r "$pcap" "$@" -T fields -E occurrence=a -E aggregator=, -e "$f" 2>/dev/null | head -n 1
}

readme_case() { # name vrid prio how
  local name=$1 dir="$WORK/$1" conf="$CONF_DIR/$1.conf"
  printf '\n## `%s`\n\n' "$name"
  if [ -f "$dir/skipped" ]; then
    printf 'Not captured: %s. `%s.hex` is only written when the installed keepalived knows the keyword; see Findings.\n' "$(cat "$dir/skipped")" "$name"
    printf '\nConfig (`scripts/golden/%s.conf`):\n\n```\n%s\n```\n' "$name" "$(cat "$conf")"
    return
  fi
  local p="$dir/advert.pcap" hex ipver src dst ttl
  hex=$(tr -d ' \n' < "$OUT_DIR/$name.hex")
  if [ "${hex:0:1}" = 4 ]; then
    ipver=IPv4; src=$(field "$p" ip.src); dst=$(field "$p" ip.dst); ttl="TTL $(field "$p" ip.ttl)"
    ttl="$ttl, TOS $(field "$p" ip.dsfield), ID $(field "$p" ip.id), flags+fragment offset 0x${hex:12:4}, header checksum $(field "$p" ip.checksum)"
  else
    ipver=IPv6; src=$(field "$p" ipv6.src); dst=$(field "$p" ipv6.dst); ttl="hop limit $(field "$p" ipv6.hlim)"
    ttl="$ttl, traffic class $(field "$p" ipv6.tclass), flow label $(field "$p" ipv6.flow), no extension headers"
  fi
  local version type vrid prio count auth adv adv_short csum status addrs auth_string
  version=$(field "$p" vrrp.version); type=$(field "$p" vrrp.type)
  vrid=$(field "$p" vrrp.virt_rtr_id); prio=$(field "$p" vrrp.prio); count=$(field "$p" vrrp.addr_count)
  auth=$(field "$p" vrrp.auth_type); adv=$(field "$p" vrrp.adver_int); adv_short=$(field "$p" vrrp.short_adver_int)
  csum=$(field "$p" vrrp.checksum); status=$(checksum_status_name "$(field "$p" vrrp.checksum.status)")
  addrs=$(field "$p" vrrp.ip_addr); [ -n "$addrs" ] || addrs=$(field "$p" vrrp.ipv6_addr)
  auth_string=$(field "$p" vrrp.auth_string)
  local bytes=$(( ${#hex} / 2 ))

  local pcap="$dir/capture.pcap" total hi zero
  total=$(tshark -r "$pcap" -Y vrrp 2>/dev/null | wc -l)
  zero=$(tshark -r "$pcap" -Y 'vrrp.prio == 0' 2>/dev/null | wc -l)
  printf 'File `%s.hex`: %s bytes; frame %s of %s adverts captured (%s of them with priority 0).\n\n' \
    "$name" "$bytes" "$(cat "$dir/frame")" "$total" "$zero"
  printf '| field | value |\n|---|---|\n'
  printf '| IP | %s, %s |\n' "$ipver" "$ttl"
  printf '| source → destination | %s → %s |\n' "$src" "$dst"
  printf '| Ethernet (not in the hex) | %s → %s |\n' "$(field "$p" eth.src)" "$(field "$p" eth.dst)"
  printf '| VRRP version / type | %s / %s (1 = advertisement) |\n' "$version" "$type"
  printf '| VRID | %s |\n' "$vrid"
  printf '| priority | %s |\n' "$prio"
  printf '| count of addresses | %s |\n' "$count"
  if [ "$version" = 2 ]; then
    printf '| auth type | %s |\n' "$auth"
    printf '| advert interval | %s s |\n' "$adv"
    printf '| auth data | "%s" |\n' "$auth_string"
  else
    printf '| reserved (4 bits) + max advert interval (12 bits) | %s centiseconds |\n' "$adv_short"
  fi
  printf '| checksum (as on the wire) | %s |\n' "$csum"
  printf '| tshark `vrrp.checksum.status` (default prefs) | %s |\n' "$status"
  if [ "$version" = 3 ] && [ "$ipver" = IPv4 ]; then
    printf '| tshark status with `-o vrrp.v3_checksum_as_in_v2:TRUE` | %s |\n' \
      "$(checksum_status_name "$(field "$p" vrrp.checksum.status -o vrrp.v3_checksum_as_in_v2:TRUE)")"
  fi
  printf '| checksum recomputed by the script | %s |\n' "$(checksum_variants "$hex")"
  printf '| addresses | %s |\n' "$addrs"
  printf '\nHex:\n\n```\n%s\n```\n' "$(cat "$OUT_DIR/$name.hex")"
  printf '\n`tshark -O ip,ipv6,vrrp` of that frame:\n\n```\n%s\n```\n' \
    "$(tshark -r "$p" -O ip,ipv6,vrrp 2>/dev/null | sed -e '/^Frame [0-9]*:/d' -e '/^Ethernet II,/d' -e 's/[[:space:]]*$//')"
  printf '\nConfig (`scripts/golden/%s.conf`):\n\n```\n%s\n```\n' "$name" "$(cat "$conf")"
}

write_readme() {
  local readme="$OUT_DIR/README.md" c name rest
  {
    cat <<'EOF'
# keepalived golden adverts

Generated by `scripts/capture-keepalived-golden.sh` (run as root; do not edit by
hand, re-run the script). Each `<case>.hex` is one VRRP advert sent by the real
keepalived from Debian, as received on the peer end of a veth pair inside
throw-away network namespaces: the whole IP packet from the IPv4/IPv6 header on
(no Ethernet header), lowercase hex, 16 bytes a line.

Setup for every case: keepalived runs in namespace `-a` on `gold0`
(MAC 00:00:5e:00:53:01, 192.0.2.1/24, 2001:db8::1/64, link-local
fe80::200:5eff:fe00:5301 from EUI-64); tcpdump captures on `gold1` in namespace
`-b` (MAC 00:00:5e:00:53:02, 192.0.2.2/24, 2001:db8::2/64). keepalived is
started as `keepalived --dont-fork --log-console --log-detail --no-syslog --vrrp
--use-file=<case>.conf` with private pid files. Unless noted, the kept advert is
the first one keepalived sent as MASTER with priority 150.

Fields that depend on the run rather than the config: the IPv4 identification
(keepalived counts it up from 1 per instance) and so the IPv4 header checksum.
Everything else is fixed by the config and the setup above.

Checksum status: tshark 1 = Good, 0 = Bad, 2 = Unverified. tshark (like
keepalived) computes the VRRPv3-over-IPv4 checksum over an IPv4 pseudo-header
by default; its preference `vrrp.v3_checksum_as_in_v2` switches to the
RFC 3768/RFC 9568 style (VRRP message only), and the tables show both results.
EOF
    printf '\nTools: `%s`; `%s`; kernel %s.\n' "$(keepalived_version)" \
      "$(tshark --version 2>/dev/null | head -n 1)" "$(uname -r)"
    printf '\n`keepalived --version`:\n\n```\n%s\n```\n' "$(keepalived --version 2>&1)"
    cat <<'EOF'

## Findings

Written for keepalived 2.2.7 (Debian 12); the per-case sections below are
regenerated on every run, this text is not.

- **Checksum, VRRPv3 over IPv4**: keepalived sums an IPv4 pseudo-header (source,
  destination, zero, protocol 112, VRRP length) plus the VRRP message, as
  RFC 5798 5.2.8 is commonly read; tshark's default agrees (Good) and says Bad
  with `-o vrrp.v3_checksum_as_in_v2:TRUE`. VRRPv2 sums the message only
  (RFC 3768), including the 8 authentication bytes. IPv6 uses the IPv6
  pseudo-header. Each table shows the checksum recomputed all those ways.
- **`v3_checksum_as_v2`** is the keepalived keyword for the message-only VRRPv3
  IPv4 checksum (Cisco style, RFC 9568). It appeared in keepalived 2.2.8
  (May 2023), in `global_defs` (default for all instances) or per
  `vrrp_instance`, with an optional true/false argument. Debian 12's 2.2.7
  rejects it ("Unknown keyword"), so `v3-ipv4-checksum-as-v2` is skipped here;
  such a sender would put the "VRRP message only" value of the `v3-ipv4` table
  on the wire. Wireshark's counterpart is the preference
  `vrrp.v3_checksum_as_in_v2` (tshark 4.0).
- **`old_unicast_checksum`** (per instance, unicast only; needs
  `OLD_CHKSUM_COMPAT` in `keepalived --version`) is the only checksum knob in
  2.2.7: the pseudo-header keeps 224.0.0.18 as destination although the packet
  goes to the unicast peer. tshark says Bad; keepalived itself accepts it from
  peers (it auto-detects the old checksum unless `old_unicast_checksum never`).
- **IPv4 header**: TOS 0xc0 (CS6), TTL 255, DF clear, no options, ID counting
  up from 1 per instance. Unicast adverts also use TTL 255 (`unicast_ttl`
  default).
- **IPv6**: source is the interface's link-local address (EUI-64 here), not
  2001:db8::1; destination ff02::12; hop limit 255; traffic class 0xc0; no
  extension headers. The flow label is set by the kernel from a flow hash
  (`net.ipv6.auto_flowlabels`): stable between runs on one boot of one machine,
  but not fixed by the config, so tests must not compare it.
- **IPv6 address list**: keepalived sends only the configured VIPs. No
  link-local address comes first, although RFC 5798/9568 5.2.9 asks for one, so
  a receiver that insists on it will refuse keepalived's adverts.
- **Ethernet**: sent from the interface's own MAC (no `use_vmac`) to
  01:00:5e:00:00:12 / 33:33:00:00:00:12.
- **Advert interval**: VRRPv3 `advert_int 1` → 100 centiseconds, `advert_int
  0.1` → 10, in the low 12 bits with the 4 reserved bits 0. VRRPv2 carries 1
  (seconds) in one byte.
- **Start-up**: with `state MASTER` but priority 150 (not 255) keepalived still
  starts in BACKUP and becomes MASTER when the master-down timer expires
  (3 × advert interval + skew, about 3.4 s here); its first advert goes out on
  that transition.
- **Priority 0**: on SIGTERM the master sends a priority-0 advert (same VIPs,
  interval and addresses) before removing its VIPs.
EOF
    for c in "${CASES[@]}"; do
      name=${c%%|*}; rest=${c#*|}
      readme_case "$name" ${rest//|/ }
    done
  } > "$WORK/README.md"
  mv -f "$WORK/README.md" "$readme"
  log "wrote $readme"
}

mkdir -p "$OUT_DIR"
log "$(keepalived_version); namespaces $NS_A / $NS_B; work dir $WORK"
for c in "${CASES[@]}"; do
  IFS='|' read -r name vrid prio how <<<"$c"
  run_case "$name" "$vrid" "$prio" "$how"
done
write_readme
log "done"
