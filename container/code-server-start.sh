#!/usr/bin/env bash
# /usr/local/bin/remolt-code-server: VS Code in the browser (code-server) for the sandbox, bound to 127.0.0.1:18080
# only. The server reaches it through the runtime (docker exec + socat, ISandboxRuntime.ConnectAsync), so nothing on
# any network can, which is why `--auth none` is safe here (the original bound it to 0.0.0.0: bug 21).
#
#   remolt-code-server              start code-server in the background if it is installed (the entrypoint does this)
#   remolt-code-server --stand-in   start a small HTTP + WebSocket echo server on the same address instead, for tests
#                                   of the /vscode proxy where code-server is not installed (the test image)
#   remolt-code-server --status     exit 0 if something listens on the port
# Logs go to ~/.remolt/code-server.log. Starting twice is harmless: a running server is left alone.
set -u

: "${HOME:=/home/dev}"
host=127.0.0.1
port="${REMOLT_CODE_SERVER_PORT:-18080}"
log_dir="$HOME/.remolt"
log_file="$log_dir/code-server.log"
stand_in=/usr/local/lib/remolt/code-server-stand-in.js

listening() { (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; }

wait_listening() {
    local i
    for i in $(seq 1 100); do
        listening && return 0
        sleep 0.1
    done
    echo "remolt-code-server: nothing listens on $host:$port after 10 s; see $log_file" >&2
    return 1
}

mkdir -p -m 700 "$log_dir"
case "${1:-}" in
    --status)
        listening
        exit
        ;;
    --stand-in)
        listening && exit 0
        nohup node "$stand_in" "$host" "$port" >>"$log_file" 2>&1 </dev/null &
        wait_listening
        exit
        ;;
    "") ;;
    *)
        echo "remolt-code-server: unknown option $1 (use --stand-in or --status)" >&2
        exit 2
        ;;
esac

if ! command -v code-server >/dev/null 2>&1; then
    echo "remolt-code-server: code-server is not installed in this image (built without CODE_SERVER_VERSION)" >>"$log_file"
    exit 0
fi
listening && exit 0
mkdir -p "$HOME/workspace"
# --auth none: only the server can connect (loopback, through the runtime). No telemetry or update checks: the
# image is the version.
nohup code-server \
    --bind-addr "$host:$port" \
    --auth none \
    --disable-telemetry \
    --disable-update-check \
    --disable-workspace-trust \
    "$HOME/workspace" >>"$log_file" 2>&1 </dev/null &
exit 0
