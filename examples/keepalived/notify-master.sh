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
#   FAILOVER_EIPS="eip-hz0001"         # IDs or addresses, space-separated
#   FAILOVER_TARGET=i-hz0001           # this node: instance, ENI or HaVip ID
#   FAILOVER_PRIVATE_IP=               # only for an ENI target
#   FAILOVER_EIPCTL_FLAGS="--profile prod"   # extra eipctl flags (word-split)
#
# Credentials: the cloud's own variables in that file (ALIBABA_CLOUD_ACCESS_KEY_ID,
# ...), or a profile in root's ~/.config/eipctl/config.yaml (mode 0600).
#
# Safe to run again: an EIP already bound here is left alone. An EIP still
# bound to the old MASTER is unbound first (eipctl never moves a bound EIP on
# its own), then bound here. Only run this from notify_master: two nodes that
# both believe they are MASTER would take the EIPs from each other.
#
# Exit status: 0 when every EIP is bound here; otherwise eipctl's code for the
# last failure (1 failed, 2 bad settings, 4 timed out, 5 credentials refused).
set -euo pipefail

env_file=${FAILOVER_ENV:-/etc/eipctl/failover.env}
if [[ -r "$env_file" ]]; then
    set -a
    # shellcheck source=/dev/null
    . "$env_file"
    set +a
fi

eipctl=${EIPCTL:-eipctl}
eips=${FAILOVER_EIPS:?set FAILOVER_EIPS to the EIP IDs to move here}
target=${FAILOVER_TARGET:?set FAILOVER_TARGET to the ID of this node (instance, ENI or HaVip)}
attempts=${FAILOVER_ATTEMPTS:-5}
read -r -a flags <<<"${FAILOVER_EIPCTL_FLAGS:-}"
bind_flags=(--target "$target")
if [[ -n "${FAILOVER_PRIVATE_IP:-}" ]]; then
    bind_flags+=(--private-ip "$FAILOVER_PRIVATE_IP")
fi

log() {
    echo "notify-master: $*" >&2
    if [[ "${FAILOVER_SYSLOG:-1}" == 1 ]] && command -v logger >/dev/null; then
        logger -t eipctl-failover -- "$*" || true
    fi
}

# eipctl RUN ARGS...: runs eipctl with the common flags; its JSON report lands
# in $report and its exit status in $rc, without tripping set -e.
report=""
rc=0
run() {
    rc=0
    report=$("$eipctl" ${flags[@]+"${flags[@]}"} "$@" --timeout 60s -o json) || rc=$?
}

# field NAME: the first value of NAME in the last report (an error's message).
field() {
    sed -n "s/^ *\"$1\": \"\(.*\)\",\{0,1\}\$/\1/p" <<<"$report" | head -n 1
}

# move EIP: bind one EIP here, unbinding it from the old MASTER when needed.
move() {
    local eip=$1 n
    for ((n = 1; n <= attempts; n++)); do
        run eip associate --eip "$eip" "${bind_flags[@]}"
        case $rc in
        0)
            log "$eip is bound to $target"
            return 0
            ;;
        2 | 5)
            # Bad settings or refused credentials: trying again cannot help.
            log "$eip: eipctl exited $rc; fix the settings or credentials"
            return $rc
            ;;
        6)
            log "$eip: another eipctl run holds the lock; waiting"
            ;;
        4)
            # The cloud is still binding; the next attempt waits for it.
            log "$eip: not confirmed yet; waiting again"
            ;;
        *)
            if grep -q '"code": "AlreadyBound"' <<<"$report"; then
                log "$eip is bound elsewhere; unbinding it first"
                run eip disassociate --eip "$eip"
                if [[ $rc -eq 0 ]]; then
                    continue
                fi
                log "$eip: unbinding failed (exit $rc)"
            elif grep -Eq '"class": "(invalid|notfound)"' <<<"$report"; then
                # A wrong ID, or a target that cannot take it: only a person can fix that.
                log "$eip: binding refused: $(field message)"
                return $rc
            else
                log "$eip: binding failed (exit $rc): $(field message)"
            fi
            ;;
        esac
        sleep "$((n * 2))"
    done
    log "$eip: gave up after $attempts attempts"
    return $rc
}

status=0
for eip in $eips; do
    move "$eip" || status=$?
done
exit "$status"
