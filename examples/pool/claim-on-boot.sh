#!/usr/bin/env bash
# Claim EIPs from a pool of whitelisted addresses for this machine, on boot.
#
# Many machines may boot at once and run this together: each one binds free
# EIPs of the pool in a random order, and when another machine takes one
# first, eipctl moves on to the next. Nothing is ever unbound. Run again, it
# changes nothing once this machine holds its share ("unchanged").
#
#   POOL_PROVIDER=alibaba POOL_REGION=cn-hangzhou POOL_FILE=/etc/eipctl/pool.txt \
#       examples/pool/claim-on-boot.sh
#
# Settings (environment, or the file named by POOL_ENV, default /etc/eipctl/pool.env):
#   POOL_PROVIDER, POOL_REGION  the cloud and region of the pool (required)
#   POOL / POOL_FILE            the pool: a comma list, or a file with one EIP ID,
#                               address or CIDR block per line (one of them required)
#   POOL_TARGET                 what to bind to; default: this instance, from the
#                               cloud's metadata service (Alibaba, Tencent)
#   POOL_TARGET_FLAGS           extra flags for the target, e.g. "--private-ip 10.0.0.5"
#   POOL_COUNT                  how many EIPs this machine holds (default 1)
#   POOL_EIPCTL_FLAGS           extra eipctl flags, e.g. --sim or "--endpoint URL"
#   EIPCTL                      the eipctl binary (default: eipctl on PATH)
#
# Exit status: 0 this machine holds POOL_COUNT EIPs of the pool; 1 none could
# be claimed (the pool is exhausted, or see the message); 3 fewer than
# POOL_COUNT; 2 bad settings. stdout gets one line per EIP held: "<eip-id> <ip>".
set -euo pipefail

env_file=${POOL_ENV:-/etc/eipctl/pool.env}
# shellcheck source=/dev/null
[[ -r "$env_file" ]] && . "$env_file"
eipctl=${EIPCTL:-eipctl}

die() { echo "claim-on-boot: $*" >&2; exit 2; }
[[ -n "${POOL_PROVIDER:-}" && -n "${POOL_REGION:-}" ]] || die "set POOL_PROVIDER and POOL_REGION"

pool_flags=()
[[ -n "${POOL:-}" ]] && pool_flags+=(--pool "$POOL")
[[ -n "${POOL_FILE:-}" ]] && pool_flags+=(--pool-file "$POOL_FILE")
[[ ${#pool_flags[@]} -gt 0 ]] || die "set POOL (a comma list) or POOL_FILE"

# This instance's ID from the metadata service, when POOL_TARGET is not set.
target=${POOL_TARGET:-}
if [[ -z "$target" ]]; then
    case "$POOL_PROVIDER" in
    alibaba) url=http://100.100.100.200/latest/meta-data/instance-id ;;
    tencent) url=http://metadata.tencentyun.com/latest/meta-data/instance-id ;;
    *) die "set POOL_TARGET: $POOL_PROVIDER binds EIPs to a vNIC, pass its ID (and POOL_TARGET_FLAGS=\"--private-ip IP\")" ;;
    esac
    target=$(curl -fsS --max-time 5 "$url") || die "could not read this instance's ID from $url: set POOL_TARGET"
fi

read -r -a extra <<<"${POOL_EIPCTL_FLAGS:-} ${POOL_TARGET_FLAGS:-}"
report=$(mktemp)
trap 'rm -f "$report"' EXIT

rc=0
"$eipctl" eip associate --provider "$POOL_PROVIDER" --region "$POOL_REGION" "${pool_flags[@]}" \
    --target "$target" --count "${POOL_COUNT:-1}" --timeout 3m --quiet -o json "${extra[@]}" >"$report" || rc=$?

# The JSON report has one key per line; print "<eip-id> <ip>" for each EIP
# the target holds, and the message of each row that failed.
sed -n 's/^ *"\(eipId\|ip\|status\|message\)": "\(.*\)",\{0,1\}$/\1 \2/p' "$report" | {
    id="" ip=""
    while read -r key value; do
        case "$key" in
        eipId) id=$value ;;
        ip) ip=$value ;;
        status) [[ "$value" == associated || "$value" == unchanged ]] && echo "$id $ip" ;;
        message) echo "claim-on-boot: $target: $value" >&2 ;;
        esac
    done
}

case $rc in
0) ;;
3) echo "claim-on-boot: $target holds fewer than ${POOL_COUNT:-1} EIPs of the pool" >&2 ;;
1) echo "claim-on-boot: $target could not claim an EIP from the pool" >&2 ;;
*) echo "claim-on-boot: eipctl exited $rc" >&2 ;;
esac
exit "$rc"
