#!/usr/bin/env bash
# Smoke test for CI: start the eipctl emulator, run a plan against it through
# the same --endpoint path a real cloud would take, check the JSON report,
# check that a second run changes nothing, and stop the emulator.
#
#   examples/ci/emulator-smoke.sh [PLAN]        # default: plan.yaml beside this directory
#
# Needs only bash, grep and sed. EIPCTL names the binary (default: eipctl on PATH).
# Everything it writes goes to a temporary directory that is removed at exit.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
plan=${1:-"$here/../plan.yaml"}
eipctl=${EIPCTL:-eipctl}

work=$(mktemp -d)
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# A private state and config directory: the run must not read the user's
# profile, take the user's lock, or leave emulator state behind.
export EIPCTL_STATE_DIR="$work/state"
export XDG_CONFIG_HOME="$work/config"
unset EIPCTL_PROFILE EIPCTL_CONFIG EIPCTL_PROVIDER EIPCTL_REGION EIPCTL_OUTPUT

# Port 0: the kernel picks a free port, and the emulator prints it.
"$eipctl" sim serve --listen 127.0.0.1:0 --bind-delay 1s --reset -o json >"$work/serve.json" 2>"$work/serve.err" &
server_pid=$!

for _ in $(seq 100); do
    [[ -s "$work/serve.json" ]] && break
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "emulator exited at start:" >&2
        cat "$work/serve.err" >&2
        exit 1
    fi
    sleep 0.1
done
line=$(head -n 1 "$work/serve.json")
[[ -n "$line" ]] || { echo "emulator printed no endpoint within 10s" >&2; exit 1; }

# The line is {"credentials":{"<provider>":{"id":..,"secret":..},..},"endpoint":"http://127.0.0.1:PORT"}.
endpoint=$(sed -n 's/.*"endpoint":"\([^"]*\)".*/\1/p' <<<"$line")
credential() { # provider field
    sed -n "s/.*\"$1\":{\"id\":\"\([^\"]*\)\",\"secret\":\"\([^\"]*\)\"}.*/\\$2/p" <<<"$line"
}
ALIBABA_CLOUD_ACCESS_KEY_ID=$(credential alibaba 1)
ALIBABA_CLOUD_ACCESS_KEY_SECRET=$(credential alibaba 2)
TENCENTCLOUD_SECRET_ID=$(credential tencent 1)
TENCENTCLOUD_SECRET_KEY=$(credential tencent 2)
ZENLAYERCLOUD_ACCESS_KEY_ID=$(credential zenlayer 1)
ZENLAYERCLOUD_ACCESS_KEY_PASSWORD=$(credential zenlayer 2)
EIPCTL_ENDPOINT=$endpoint
export ALIBABA_CLOUD_ACCESS_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET TENCENTCLOUD_SECRET_ID TENCENTCLOUD_SECRET_KEY \
    ZENLAYERCLOUD_ACCESS_KEY_ID ZENLAYERCLOUD_ACCESS_KEY_PASSWORD EIPCTL_ENDPOINT
echo "emulator at $endpoint"

# count WORD FILE: how many rows of the report have that status.
count() { grep -c "\"status\": \"$1\"" "$2" || true; }

# First run: every row must be bound by this run.
rc=0
"$eipctl" eip associate -f "$plan" --timeout 60s -o json >"$work/first.json" || rc=$?
rows=$(grep -c '"eipId"' "$work/first.json" || true)
bound=$(count associated "$work/first.json")
echo "first run: exit $rc, $bound of $rows associated"
if [[ $rc -ne 0 || $rows -eq 0 || $bound -ne $rows ]]; then
    cat "$work/first.json" >&2
    exit 1
fi

# Second run: the same plan is already done, so nothing may change (cron safety).
rc=0
"$eipctl" eip associate -f "$plan" --timeout 60s -o json >"$work/second.json" || rc=$?
unchanged=$(count unchanged "$work/second.json")
echo "second run: exit $rc, $unchanged of $rows unchanged"
if [[ $rc -ne 0 || $unchanged -ne $rows ]]; then
    cat "$work/second.json" >&2
    exit 1
fi

echo "ok"
