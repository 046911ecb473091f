#!/usr/bin/env bash
# Builds the server image (the root Dockerfile) as remolt-server. Idempotent: the image carries a content hash of
# its inputs (the files the build copies, the base images, the extra CA) and a rerun without changes takes seconds.
#
#   container/build-server-image.sh                      # FROM mcr.microsoft.com/dotnet/{sdk,runtime-deps}; when
#                                                        # they cannot be found or pulled, from local bases (below)
#   container/build-server-image.sh --local-bases        # FROM bases made here: remolt-local/runtime-deps:10.0 (a
#                                                        # stripped debootstrap'd bookworm) and remolt-local/dotnet-sdk:10.0
#                                                        # (bookworm + this machine's .NET SDK, node and npm)
#   container/build-server-image.sh --extra-ca FILE      # trust FILE's CA(s) in the build stage only (an intercepting
#                                                        # HTTPS proxy between the build and NuGet/npm); default: the
#                                                        # file SSL_CERT_FILE names, if any
#   container/build-server-image.sh --tag NAME           # another image name (default remolt-server, or REMOLT_SERVER_IMAGE)
#   container/build-server-image.sh --network host       # the network the build's RUN steps use (docker build
#                                                        # --network), e.g. when the default bridge is unusable
#   container/build-server-image.sh --force              # rebuild even when the hash matches
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$script_dir")"
log_name="build-server-image"
# shellcheck source=container/build-lib.sh
. "$script_dir/build-lib.sh"
# shellcheck source=container/server/local-bases.sh
. "$script_dir/server/local-bases.sh"

image="${REMOLT_SERVER_IMAGE:-remolt-server}"
sdk_image="mcr.microsoft.com/dotnet/sdk:10.0"
runtime_image="mcr.microsoft.com/dotnet/runtime-deps:10.0-noble"
local_sdk="remolt-local/dotnet-sdk:10.0"
local_runtime="remolt-local/runtime-deps:10.0"
local_bases=false
extra_ca="${SSL_CERT_FILE:-}"
force=false
network=""

usage() { sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
    case "$1" in
        --local-bases) local_bases=true; shift ;;
        --extra-ca) extra_ca="${2?--extra-ca needs a file (or '' for none)}"; shift 2 ;;
        --extra-ca=*) extra_ca="${1#--extra-ca=}"; shift ;;
        --tag) image="${2:?--tag needs a name}"; shift 2 ;;
        --tag=*) image="${1#--tag=}"; shift ;;
        --network) network="${2:?--network needs a mode}"; shift 2 ;;
        --network=*) network="${1#--network=}"; shift ;;
        --force) force=true; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "build-server-image: unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done
if [ -n "$extra_ca" ] && [ ! -f "$extra_ca" ]; then
    die "--extra-ca file not found: $extra_ca"
fi

# One build at a time on this machine (test assemblies may call this concurrently); the lock build-images.sh uses
# too, since both may make the debootstrap'd test base.
lock_file="${TMPDIR:-/tmp}/remolt-build-images.lock"
exec 9>"$lock_file"
if ! flock -n 9; then
    log "another build holds $lock_file; waiting"
    flock 9
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/remolt-server-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# ---- base images ----------------------------------------------------------------------------------------------
available() {
    image_exists "$1" && return 0
    log "pulling $1"
    timeout 300 docker pull -q "$1" >/dev/null 2>"$work/pull.err" && return 0
    log "cannot pull $1: $(head -c 300 "$work/pull.err")"
    return 1
}
if ! $local_bases && ! { available "$sdk_image" && available "$runtime_image"; }; then
    log "the default base images are not available: making local ones (--local-bases)"
    local_bases=true
fi
if $local_bases; then
    ensure_test_base "remolt-test-base:bookworm" "$work/test-rootfs"
    ensure_local_sdk_base "$local_sdk" "remolt-test-base:bookworm" "$work"
    ensure_local_runtime_base "$local_runtime" "$work"
    sdk_image="$local_sdk"
    runtime_image="$local_runtime"
fi

# ---- context: what the Dockerfile copies, as a tar stream (so the CA goes in without touching the checkout) -------
cd "$repo"
paths=(Dockerfile .dockerignore global.json Directory.Build.props Directory.Packages.props build agents src container/server
    container/Dockerfile.base container/Dockerfile.agent container/entrypoint.sh container/tmux.conf container/welcome.sh
    container/git-credential-remolt container/gh-wrapper container/code-server-start.sh container/code-server-stand-in.js)
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    # Tracked files and new ones, never ignored ones (bin/, obj/, node_modules/, wwwroot/lib/).
    git ls-files -co --exclude-standard -- "${paths[@]}" | sort -u > "$work/files.all"
else
    find "${paths[@]}" -type f ! -path '*/bin/*' ! -path '*/obj/*' ! -path '*/node_modules/*' ! -path 'src/Web/wwwroot/lib/*' | sort > "$work/files.all"
fi
# Files deleted in the work tree but still tracked are not part of the build.
while IFS= read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done < "$work/files.all" | grep -vx 'container/server/extra-ca.crt' > "$work/files" || true
mkdir -p "$work/ca/container/server"
if [ -n "$extra_ca" ]; then cp "$extra_ca" "$work/ca/container/server/extra-ca.crt"; else : > "$work/ca/container/server/extra-ca.crt"; fi

hash="$( {
    tr '\n' '\0' < "$work/files" | xargs -0 sha256sum
    sha256sum < "$work/ca/container/server/extra-ca.crt"
    printf '== sdk %s\n' "$(docker image inspect -f '{{.Id}}' "$sdk_image")"
    printf '== runtime %s\n' "$(docker image inspect -f '{{.Id}}' "$runtime_image")"
} | sha256sum | cut -c1-64)"

if ! $force && [ "$(image_hash "$image")" = "$hash" ]; then
    log "$image is up to date (remolt.build-hash=${hash:0:12}); skipping build"
else
    tar -c -f - -C "$repo" -T "$work/files" -C "$work/ca" container/server/extra-ca.crt \
        | build_cached "$image" "$hash" "FROM $sdk_image / $runtime_image ($(wc -l < "$work/files") files$([ -n "$extra_ca" ] && echo ", extra CA $extra_ca in the build stage"))" \
            --build-arg "SDK_IMAGE=$sdk_image" \
            --build-arg "RUNTIME_IMAGE=$runtime_image" \
            --label "remolt.sdk-image=$sdk_image" \
            --label "remolt.runtime-image=$runtime_image" \
            ${network:+--network "$network"} \
            --force-rm \
            -
fi
# Every build leaves its build stage behind as an untagged image (the cache of the next build): keep the newest.
docker images --filter dangling=true --filter label=remolt.build-stage=server --format '{{.CreatedAt}}\t{{.ID}}' \
    | sort -r | tail -n +2 | cut -f2 | xargs -r docker rmi >/dev/null 2>&1 || true
size="$(docker image inspect -f '{{.Size}}' "$image")"
log "$image: $((size / 1000 / 1000)) MB (FROM $runtime_image)"
