#!/usr/bin/env bash
# keepalived notify_master hook: when this node becomes MASTER, move the
# failover EIPs onto it, fenced, and wait until the cloud confirms.
#
# In keepalived.conf:
#
#   vrrp_instance VI_1 {
#       ...
#       notify_master /etc/keepalived/notify-master.sh
#   }
#
# Settings come from the environment or from /etc/eipctl/failover.env
# (FAILOVER_ENV names another file), for example:
#
#   EIPCTL_PROVIDER=alibaba
#   EIPCTL_REGION=cn-hangzhou
#   FAILOVER_EIPS="eip-hz0001 eip-hz0002"   # IDs or addresses, space-separated
#   FAILOVER_TARGET=i-hz0001                # this node: instance, ENI or HaVip ID
#   FAILOVER_PEERS="i-hz0002"               # the other nodes' targets, space-separated
#   FAILOVER_PRIVATE_IP=                    # only for an ENI target
#   FAILOVER_MIN_INTERVAL=                  # e.g. 60s: refuse to move an EIP this host moved more recently
#   FAILOVER_STILL_MASTER=                  # optional command that succeeds only while this node is MASTER
#   FAILOVER_EIPCTL_FLAGS="--profile prod"  # extra eipctl flags (word-split)
#
# Credentials: the cloud's own variables in that file (ALIBABA_CLOUD_ACCESS_KEY_ID,
# ...), or a profile in root's ~/.config/eipctl/config.yaml (mode 0600).
#
# Fencing: each EIP is moved only if, at the moment of the unbind, it is free
# or held by one of FAILOVER_PEERS (--force --from PEER...; no peers means
# only if free). An EIP held by anything else fails with UnexpectedHolder and
# nothing is sent for it. An EIP still on the old MASTER is unbound there and
# bound here in one run, and put back if the bind fails. Safe to run again:
# an EIP already here is left alone. FAILOVER_STILL_MASTER (for instance
# "ip -br addr show dev eth0 | grep -qw 10.0.0.100", the VRRP address) is run
# right before eipctl, so a hook that runs late, after this node was demoted
# again, sends nothing.
#
# Retries: only what a rerun can finish. Exit 4 (not confirmed in time: the
# journal lets a rerun finish or put back the move) and 6 (another eipctl run
# held the lock) are tried again, up to FAILOVER_ATTEMPTS (3) times. A
# refusal (1: for instance UnexpectedHolder or TooSoon), a partial failure
# (3), bad settings (2), credentials (5) or a signal (130, 143: keepalived
# changed its mind) stop at once: trying again would only take the peer's
# address again or fight the cloud.
#
# Exit status: 0 when every EIP is bound here; otherwise eipctl's last code
# (docs/exit-codes.md), or 1 when this node is no longer MASTER.
set -euo pipefail

env_file=${FAILOVER_ENV:-/etc/eipctl/failover.env}
if [[ -r "$env_file" ]]; then
    set -a
    # shellcheck source=/dev/null
    . "$env_file"
    set +a
fi
read -r -a flags <<<"${FAILOVER_EIPCTL_FLAGS:-}"
read -r -a eips <<<"${FAILOVER_EIPS:?set FAILOVER_EIPS to the EIP IDs to move here}"
read -r -a peers <<<"${FAILOVER_PEERS:-}"
args=(eip associate --force --target "${FAILOVER_TARGET:?set FAILOVER_TARGET to the ID of this node}"
    --timeout 60s --lock-wait 60s -o jsonl)
args+=("${eips[@]/#/--eip=}") # --eip=ID for each
if ((${#peers[@]})); then
    args+=("${peers[@]/#/--from=}")
else
    args+=(--from=none)
fi
if [[ -n "${FAILOVER_PRIVATE_IP:-}" ]]; then
    args+=(--private-ip "$FAILOVER_PRIVATE_IP")
fi
if [[ -n "${FAILOVER_MIN_INTERVAL:-}" ]]; then
    args+=(--min-interval "$FAILOVER_MIN_INTERVAL")
fi

log() {
    echo "notify-master: $*" >&2
    if [[ "${FAILOVER_SYSLOG:-1}" == 1 ]] && command -v logger >/dev/null; then
        logger -t eipctl-failover -- "$*" || true
    fi
}

# One JSON line per EIP as it settles, then the summary: each goes to the log.
for ((n = 1; ; n++)); do
    if [[ -n "${FAILOVER_STILL_MASTER:-}" ]] && ! bash -c "$FAILOVER_STILL_MASTER"; then
        log "no longer MASTER ($FAILOVER_STILL_MASTER failed); not moving anything"
        exit 1
    fi
    if "${EIPCTL:-eipctl}" ${flags[@]+"${flags[@]}"} "${args[@]}" | while read -r line; do log "$line"; done; then
        log "every EIP is bound to $FAILOVER_TARGET"
        exit 0
    else
        rc=${PIPESTATUS[0]}
    fi
    case $rc in
    4 | 6) ;; # not confirmed in time, or the lock was busy: running again finishes
    *) log "eipctl exited $rc; not retrying" && exit "$rc" ;;
    esac
    if ((n >= ${FAILOVER_ATTEMPTS:-3})); then
        log "gave up after $n attempts (exit $rc)"
        exit "$rc"
    fi
    sleep "$n"
done
