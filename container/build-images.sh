#!/usr/bin/env bash
# Builds the Remolt sandbox image from container/Dockerfile.base. Idempotent: skips the build when an image with the
# same content hash (Dockerfile, entrypoint, tmux.conf, base image name, extra CA) already exists.
#
#   container/build-images.sh                       # FROM ubuntu:24.04 (a real user's build)
#   container/build-images.sh --base debian:bookworm
#   container/build-images.sh --test-base           # FROM a local debootstrap'd bookworm (no registry needed)
#   container/build-images.sh --extra-ca FILE       # trust FILE's CA(s) inside the image (intercepting proxies)
#
# Environment: REMOLT_SANDBOX_IMAGE (image name, default remolt-sandbox).
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
image="${REMOLT_SANDBOX_IMAGE:-remolt-sandbox}"
base="ubuntu:24.04"
test_base=false
test_base_image="remolt-test-base:bookworm"
extra_ca=""
force=false

usage() {
    sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    echo "Options: --base IMAGE | --test-base | --extra-ca FILE | --force | -h"
}

while [ $# -gt 0 ]; do
    case "$1" in
        --base) base="${2:?--base needs an image}"; shift 2 ;;
        --base=*) base="${1#--base=}"; shift ;;
        --test-base) test_base=true; shift ;;
        --extra-ca) extra_ca="${2:?--extra-ca needs a file}"; shift 2 ;;
        --extra-ca=*) extra_ca="${1#--extra-ca=}"; shift ;;
        --force) force=true; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "build-images: unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done

log() { printf '[build-images] %s\n' "$*"; }

if [ -n "$extra_ca" ] && [ ! -f "$extra_ca" ]; then
    echo "build-images: --extra-ca file not found: $extra_ca" >&2
    exit 2
fi

# Test assemblies run in parallel and may all call this script: one build at a time on this machine.
lock_file="${TMPDIR:-/tmp}/remolt-build-images.lock"
exec 9>"$lock_file"
if ! flock -n 9; then
    log "another build holds $lock_file; waiting"
    flock 9
fi

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

apt_mirror() {
    local uri=""
    if compgen -G '/etc/apt/sources.list.d/*.sources' >/dev/null; then
        uri="$(grep -h -m1 -E '^[[:space:]]*URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null \
            | grep -v -- '-security' | head -n1 | awk '{print $2}' || true)"
    fi
    if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
        uri="$(grep -h -E '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list 2>/dev/null \
            | grep -v -- '-security' | head -n1 \
            | sed -E 's/^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/' || true)"
    fi
    printf '%s' "${uri:-http://deb.debian.org/debian}"
}

if $test_base; then
    base="$test_base_image"
    if image_exists "$test_base_image"; then
        log "test base $test_base_image exists; skipping debootstrap"
    else
        command -v debootstrap >/dev/null || { echo "build-images: --test-base needs debootstrap (apt-get install -y debootstrap)" >&2; exit 1; }
        mirror="$(apt_mirror)"
        rootfs="$(mktemp -d "${TMPDIR:-/tmp}/remolt-rootfs.XXXXXX")"
        trap 'rm -rf "$rootfs"' EXIT
        log "debootstrap --variant=minbase bookworm from $mirror into $rootfs"
        started=$SECONDS
        debootstrap --variant=minbase --include=ca-certificates bookworm "$rootfs" "$mirror"
        rm -f "$rootfs"/var/cache/apt/archives/*.deb
        log "importing $test_base_image"
        tar -C "$rootfs" -c . | docker import - "$test_base_image" >/dev/null
        rm -rf "$rootfs"
        trap - EXIT
        log "test base $test_base_image ready in $((SECONDS - started)) s"
    fi
fi

context="$(mktemp -d "${TMPDIR:-/tmp}/remolt-build-context.XXXXXX")"
trap 'rm -rf "$context"' EXIT
cp "$script_dir/Dockerfile.base" "$script_dir/entrypoint.sh" "$script_dir/tmux.conf" "$context/"
if [ -n "$extra_ca" ]; then
    cp "$extra_ca" "$context/extra-ca.crt"
else
    : > "$context/extra-ca.crt"
fi

hash="$( {
    for f in Dockerfile.base entrypoint.sh tmux.conf extra-ca.crt; do
        printf '%s\n' "== $f"; cat "$context/$f"
    done
    printf '== base\n%s\n' "$base"
} | sha256sum | cut -c1-64)"

old_id="$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)"
if ! $force && [ -n "$old_id" ]; then
    existing="$(docker image inspect -f '{{ index .Config.Labels "remolt.build-hash" }}' "$image" 2>/dev/null || true)"
    if [ "$existing" = "$hash" ]; then
        log "$image is up to date (remolt.build-hash=${hash:0:12}); skipping build"
        exit 0
    fi
    log "$image exists with a different build hash (${existing:0:12} != ${hash:0:12}); rebuilding"
fi

log "building $image FROM $base$([ -n "$extra_ca" ] && echo " with extra CA $extra_ca")"
started=$SECONDS
docker build \
    --file "$context/Dockerfile.base" \
    --build-arg "BASE_IMAGE=$base" \
    --label "remolt.build-hash=$hash" \
    --label "remolt.base-image=$base" \
    --tag "$image" \
    "$context"
new_id="$(docker image inspect -f '{{.Id}}' "$image")"
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then
    # The previous build is now untagged: drop it unless a container still uses it.
    docker rmi "$old_id" >/dev/null 2>&1 && log "removed the previous image ${old_id:7:12}" || true
fi
log "built $image in $((SECONDS - started)) s (remolt.build-hash=${hash:0:12})"
