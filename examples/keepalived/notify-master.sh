#!/usr/bin/env bash
# keepalived notify_master hook: when this node becomes MASTER, move the
# failover EIPs onto it and wait until the cloud confirms.
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
#   FAILOVER_PRIVATE_IP=                    # only for an ENI target
#   FAILOVER_EIPCTL_FLAGS="--profile prod"  # extra eipctl flags (word-split)
#
# Credentials: the cloud's own variables in that file (ALIBABA_CLOUD_ACCESS_KEY_ID,
# ...), or a profile in root's ~/.config/eipctl/config.yaml (mode 0600).
#
# --force does the failover: an EIP still bound to the old MASTER is unbound
# there and bound here in one run, and put back if the bind fails, so no EIP
# is left unbound. Safe to run again: an EIP already here is left alone. Only
# run this from notify_master: two nodes that both believe they are MASTER
# would take the EIPs from each other.
#
# Exit status: 0 when every EIP is bound here; otherwise eipctl's last code
# (1 failed, 2 bad settings, 3 some EIPs not moved, 4 timed out, 5 credentials).
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
args=(eip associate --force --target "${FAILOVER_TARGET:?set FAILOVER_TARGET to the ID of this node}"
    --timeout 60s --lock-wait 60s -o jsonl)
args+=("${eips[@]/#/--eip=}") # --eip=ID for each
if [[ -n "${FAILOVER_PRIVATE_IP:-}" ]]; then
    args+=(--private-ip "$FAILOVER_PRIVATE_IP")
fi

log() {
    echo "notify-master: $*" >&2
    if [[ "${FAILOVER_SYSLOG:-1}" == 1 ]] && command -v logger >/dev/null; then
        logger -t eipctl-failover -- "$*" || true
    fi
}

# One JSON line per EIP as it settles, then the summary: each goes to the log.
for ((n = 1; ; n++)); do
    if "${EIPCTL:-eipctl}" ${flags[@]+"${flags[@]}"} "${args[@]}" | while read -r line; do log "$line"; done; then
        log "every EIP is bound to $FAILOVER_TARGET"
        exit 0
    else
        rc=${PIPESTATUS[0]}
    fi
    case $rc in
    3 | 4 | 6 | 130 | 143) ;; # not all there yet, lock busy, or interrupted: running again finishes
    *) log "eipctl exited $rc; not retrying" && exit "$rc" ;; # 1 refused, 2 settings, 5 credentials
    esac
    if ((n >= ${FAILOVER_ATTEMPTS:-3})); then
        log "gave up after $n attempts (exit $rc)"
        exit "$rc"
    fi
    sleep "$n"
done
