#!/usr/bin/env bash
# Builds the Remolt sandbox images: the base (container/Dockerfile.base) and one image per agent
# (container/Dockerfile.agent, remolt-<id>). Idempotent: every image carries a content hash of its inputs and is
# skipped when that hash has not changed, so a rerun takes a second or two.
#
#   container/build-images.sh                       # base FROM ubuntu:24.04, then every agent in agents/*/agent.json
#   container/build-images.sh --agent claude-code   # base, then only that agent (repeatable)
#   container/build-images.sh --no-agents           # only the base
#   container/build-images.sh --base debian:bookworm
#   container/build-images.sh --test-base           # FROM a local debootstrap'd bookworm (no registry needed);
#                                                   # builds no agent unless --agent/--all-agents asks for one
#   container/build-images.sh --extra-ca FILE       # trust FILE's CA(s) inside the images (intercepting proxies)
#   container/build-images.sh --code-server 4.139.1 # code-server release in the base (default 4.139.1; none with
#                                                   # --test-base or --no-code-server: GitHub is not reachable there)
#   container/build-images.sh --code-server-from npm  # code-server from the npm registry instead of GitHub, compiled
#                                                   # against the image's node (about 3 minutes)
#
# Environment: REMOLT_SANDBOX_IMAGE (the base image's name, default remolt-sandbox), REMOLT_<ID>_IMAGE (an agent
# image's name, default remolt-<id>, as the server resolves it), REMOLT_AGENTS_DIR (default: agents/ in the repo).
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=container/build-lib.sh
. "$script_dir/build-lib.sh"

image="${REMOLT_SANDBOX_IMAGE:-remolt-sandbox}"
agents_dir="${REMOLT_AGENTS_DIR:-$(dirname "$script_dir")/agents}"
base="ubuntu:24.04"
test_base=false
test_base_image="remolt-test-base:bookworm"
extra_ca=""
force=false
code_server="__default__"   # a version, or empty for none (default: none with --test-base, else $default_code_server)
default_code_server="4.139.1"
code_server_source="release"  # release (GitHub) or npm (compiled against the image's node; no GitHub needed)
agent_mode=""          # all | none | list (empty: all, or none with --test-base)
agent_ids=()

usage() {
    sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    echo "Options: --base IMAGE | --test-base | --extra-ca FILE | --code-server VERSION | --no-code-server"
    echo "         --agent ID | --all-agents | --no-agents | --force | -h"
}

while [ $# -gt 0 ]; do
    case "$1" in
        --base) base="${2:?--base needs an image}"; shift 2 ;;
        --base=*) base="${1#--base=}"; shift ;;
        --test-base) test_base=true; shift ;;
        --extra-ca) extra_ca="${2:?--extra-ca needs a file}"; shift 2 ;;
        --extra-ca=*) extra_ca="${1#--extra-ca=}"; shift ;;
        --agent) agent_ids+=("${2:?--agent needs an agent id}"); agent_mode="${agent_mode:-list}"; shift 2 ;;
        --agent=*) agent_ids+=("${1#--agent=}"); agent_mode="${agent_mode:-list}"; shift ;;
        --all-agents) agent_mode=all; shift ;;
        --no-agents) agent_mode=none; shift ;;
        --code-server) code_server="${2?--code-server needs a version (or '' for none)}"; shift 2 ;;
        --code-server=*) code_server="${1#--code-server=}"; shift ;;
        --no-code-server) code_server=""; shift ;;
        --code-server-from) code_server_source="${2:?--code-server-from needs release or npm}"; shift 2 ;;
        --code-server-from=*) code_server_source="${1#--code-server-from=}"; shift ;;
        --force) force=true; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "build-images: unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done

if [ "$code_server" = __default__ ]; then
    if $test_base; then code_server=""; else code_server="$default_code_server"; fi
fi
case "$code_server_source" in
    release | npm) ;;
    *) die "--code-server-from wants release or npm, got '$code_server_source'" ;;
esac
case "$code_server" in
    "" | [0-9]*.[0-9]*.[0-9]*) ;;
    *) die "--code-server wants a release version like $default_code_server, got '$code_server'" ;;
esac
if [ -z "$agent_mode" ]; then
    if $test_base; then agent_mode=none; else agent_mode=all; fi
fi
if [ "$agent_mode" = none ] && [ ${#agent_ids[@]} -gt 0 ]; then
    die "--no-agents contradicts --agent ${agent_ids[*]}"
fi
if [ -n "$extra_ca" ] && [ ! -f "$extra_ca" ]; then
    echo "build-images: --extra-ca file not found: $extra_ca" >&2
    exit 2
fi
if [ "$agent_mode" != none ] && [ ! -d "$agents_dir" ]; then
    die "agents folder not found: $agents_dir (set REMOLT_AGENTS_DIR, or pass --no-agents)"
fi
if [ "$agent_mode" = list ]; then
    for id in "${agent_ids[@]}"; do
        [ -f "$agents_dir/$id/agent.json" ] || die "unknown agent '$id': $agents_dir/$id/agent.json does not exist"
    done
fi

# Test assemblies run in parallel and may all call this script: one build at a time on this machine.
lock_file="${TMPDIR:-/tmp}/remolt-build-images.lock"
exec 9>"$lock_file"
if ! flock -n 9; then
    log "another build holds $lock_file; waiting"
    flock 9
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/remolt-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# ---- base image -----------------------------------------------------------------------------------------------
if $test_base; then
    base="$test_base_image"
    ensure_test_base "$test_base_image" "$work/rootfs"
fi

context="$work/base"
mkdir -p "$context"
base_files=(Dockerfile.base entrypoint.sh tmux.conf welcome.sh git-credential-remolt gh-wrapper code-server-start.sh code-server-stand-in.js)
for f in "${base_files[@]}"; do cp "$script_dir/$f" "$context/"; done
if [ -n "$extra_ca" ]; then cp "$extra_ca" "$context/extra-ca.crt"; else : > "$context/extra-ca.crt"; fi

hash="$(base_build_hash "$context" "$base" "$code_server" "$code_server_source" "${base_files[@]}" extra-ca.crt)"

build_cached "$image" "$hash" "FROM $base, code-server ${code_server:-none}${code_server:+ from $code_server_source}$([ -n "$extra_ca" ] && echo ", extra CA $extra_ca")" \
    --file "$context/Dockerfile.base" \
    --build-arg "BASE_IMAGE=$base" \
    --build-arg "CODE_SERVER_VERSION=$code_server" \
    --build-arg "CODE_SERVER_SOURCE=$code_server_source" \
    --label "remolt.base-image=$base" \
    "$context"

# ---- agent images ---------------------------------------------------------------------------------------------
case "$agent_mode" in
    none) exit 0 ;;
    all)
        agent_ids=()
        for file in "$agents_dir"/*/agent.json; do
            [ -f "$file" ] || continue
            agent_ids+=("$(basename "$(dirname "$file")")")
        done
        [ ${#agent_ids[@]} -gt 0 ] || die "no agents/*/agent.json under $agents_dir"
        ;;
esac

base_id="$(docker image inspect -f '{{.Id}}' "$image")"
for id in "${agent_ids[@]}"; do
    build_agent "$id" "$agents_dir" "$image" "$base_id" "$script_dir/Dockerfile.agent" "$work/agent-$id"
done
