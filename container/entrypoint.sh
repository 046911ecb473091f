#!/usr/bin/env bash
# Remolt sandbox entrypoint: runs as "dev" at container start, then keeps the container alive.
# Docker starts containers with HostConfig.Init=true and a Kubernetes pod runs it under tini (/usr/bin/tini), so
# `sleep infinity` as the main process stops promptly.
# Never print environment values here: REPO_URL may carry a token and AGENT_SETUP may carry API keys.
set -u

: "${HOME:=/home/dev}"

# The image's paths; the local (bubblewrap) runtime, which has no image, points them at its own copies.
credential_helper="${REMOLT_CREDENTIAL_HELPER:-/usr/local/bin/git-credential-remolt}"
code_server="${REMOLT_CODE_SERVER:-/usr/local/bin/remolt-code-server}"

log() { printf 'remolt-entrypoint: %s\n' "$*" >&2; }

# What needs no network: identity and the workspace folder.
session_prepare() {
git config --global user.name "${GIT_USER_NAME:-Remolt Dev}" || log "could not set git user.name"
git config --global user.email "${GIT_USER_EMAIL:-dev@remolt.local}" || log "could not set git user.email"

workspace="$HOME/workspace"
mkdir -p "$workspace" || log "could not create $workspace"
}

# What may use the network (the clone, the agent's setup): only once the network guard is in.
session_fetch() {
workspace="$HOME/workspace"
if [ -n "${REPO_URL:-}" ]; then
    # A credential from the repo_url arrives with the secrets (~/.remolt/env, written over stdin right after the
    # start); the credential helper reads it from there, for the repository's host only.
    helper=()
    if [ "${REMOLT_REPO_CREDENTIAL:-}" = 1 ]; then
        helper=(-c credential.helper="$credential_helper")
        waited=0
        while [ ! -r "$HOME/.remolt/env" ] && [ "$waited" -lt 600 ]; do sleep 0.1; waited=$((waited + 1)); done
    fi
    if [ -z "$(ls -A "$workspace" 2>/dev/null)" ]; then
        # git's messages may echo the URL, and a token in it: redact credentials before logging them.
        if clone_output="$(GIT_TERMINAL_PROMPT=0 git "${helper[@]}" clone --quiet "$REPO_URL" "$workspace" 2>&1)"; then
            if [ ${#helper[@]} -gt 0 ]; then
                git -C "$workspace" config credential.helper "$credential_helper" || log "could not keep the repository's credential helper"
            fi
            log "repository cloned into ~/workspace"
        else
            status=$?
            printf '%s\n' "$clone_output" | sed -E 's#://[^/@[:space:]]+@#://***@#g' | sed 's/^/remolt-entrypoint: git: /' >&2
            log "git clone failed (exit $status); continuing with an empty ~/workspace"
        fi
    else
        log "~/workspace is not empty; not cloning"
    fi
fi

if [ -n "${AGENT_SETUP:-}" ]; then
    (
        cd "$workspace" 2>/dev/null || cd "$HOME"
        if eval "$AGENT_SETUP" >"$HOME/.remolt-agent-setup.log" 2>&1; then
            log "agent setup finished"
        else
            log "agent setup failed (exit $?); see ~/.remolt-agent-setup.log"
        fi
    ) &
fi

}

session_init() {
    session_prepare
    session_fetch
}

# `remolt-entrypoint --session-init`: run by the server when it hands a warm (pre-created) sandbox to a session,
# after writing the session's settings and secrets to ~/.remolt/env; does what a cold start does, then returns.
if [ "${1:-}" = "--session-init" ]; then
    if [ -r "$HOME/.remolt/env" ]; then
        set -a
        # shellcheck disable=SC1091
        . "$HOME/.remolt/env"
        set +a
    fi
    # Its own log, and no open stdout: the server's exec returns as soon as the (backgrounded) setup is started.
    session_init </dev/null >>"$HOME/.remolt-session-init.log" 2>&1
    exit 0
fi

# VS Code (code-server on 127.0.0.1:18080, if the image has it) starts with the container, cold or warm: it holds
# no secret, listens on loopback only, and the server only reaches it through the runtime. It backgrounds itself
# and logs to ~/.remolt.
"$code_server" || log "code-server did not start; see ~/.remolt/code-server.log"

# A warm sandbox waits for its session: identity, repository and agent setup come with the claim.
if [ "${REMOLT_WARM:-}" != "1" ]; then
    session_prepare
fi

# The server installs the sandbox's network rules (no reaching the host, other sandboxes or the metadata address)
# right after the start and then writes this root-owned marker: nothing here touches the network before it. Without
# it (a runtime that never guards, or a guard that failed and is removing this container) nothing more is started.
# On Kubernetes (the pod spec sets REMOLT_NETWORK_GUARD=cluster) the NetworkPolicy is in place before the pod exists:
# there is no marker to wait for. The local runtime (REMOLT_NETWORK_GUARD=host) has no guard to wait for: its
# sandboxes use the host's network as any process of the host does, or none at all (REMOLT_LOCAL_NETWORK=none).
wait_for_network_guard() {
    case "${REMOLT_NETWORK_GUARD:-}" in
        cluster | host) return 0 ;;
    esac
    local waited=0
    while [ ! -e /run/remolt/network-guarded ]; do
        if [ "$waited" -ge 600 ]; then
            log "the network guard never arrived; not cloning or running the agent's setup"
            return 1
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
}

if [ "${REMOLT_WARM:-}" != "1" ] && wait_for_network_guard; then
    session_fetch
fi

exec sleep infinity
