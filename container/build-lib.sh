# Functions for build-images.sh (sourced, not run). Needs only bash, coreutils, flock, docker (and debootstrap for
# the test base): agent.json is read with the base image's own node, so the host needs no jq or python.

# The scripts that source this set log_name (build-server-image.sh does); build-images.sh keeps the default.
log() { printf '[%s] %s\n' "${log_name:-build-images}" "$*"; }
die() { printf '%s: %s\n' "${log_name:-build-images}" "$*" >&2; exit 1; }
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

# ensure_test_base IMAGE ROOTFS_DIR: a Debian bookworm minbase imported as IMAGE, made with debootstrap if missing.
ensure_test_base() {
    local name="$1" rootfs="$2" mirror started
    if image_exists "$name"; then
        log "test base $name exists; skipping debootstrap"
        return
    fi
    command -v debootstrap >/dev/null || die "--test-base needs debootstrap (apt-get install -y debootstrap)"
    mirror="$(apt_mirror)"
    mkdir -p "$rootfs"
    log "debootstrap --variant=minbase bookworm from $mirror into $rootfs"
    started=$SECONDS
    debootstrap --variant=minbase --include=ca-certificates bookworm "$rootfs" "$mirror"
    rm -f "$rootfs"/var/cache/apt/archives/*.deb
    log "importing $name"
    tar -C "$rootfs" -c . | docker import - "$name" >/dev/null
    rm -rf "$rootfs"
    log "test base $name ready in $((SECONDS - started)) s"
}

# build_cached IMAGE HASH DESCRIPTION DOCKER_BUILD_ARGS...: builds IMAGE unless it already carries
# remolt.build-hash=HASH (or --force was given); drops the previous, now untagged, image afterwards.
build_cached() {
    local name="$1" want="$2" what="$3" old_id existing new_id started
    shift 3
    old_id="$(docker image inspect -f '{{.Id}}' "$name" 2>/dev/null || true)"
    if ! ${force:-false} && [ -n "$old_id" ]; then
        existing="$(docker image inspect -f '{{ index .Config.Labels "remolt.build-hash" }}' "$name" 2>/dev/null || true)"
        if [ "$existing" = "$want" ]; then
            log "$name is up to date (remolt.build-hash=${want:0:12}); skipping build"
            return
        fi
        log "$name exists with a different build hash (${existing:0:12} != ${want:0:12}); rebuilding"
    fi
    log "building $name $what"
    started=$SECONDS
    docker build --label "remolt.build-hash=$want" --tag "$name" "$@"
    new_id="$(docker image inspect -f '{{.Id}}' "$name")"
    if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then
        # A container (or an agent image built FROM it) may still use the old one: then it stays.
        docker rmi "$old_id" >/dev/null 2>&1 && log "removed the previous image ${old_id:7:12}" || true
    fi
    log "built $name in $((SECONDS - started)) s (remolt.build-hash=${want:0:12})"
}

# base_build_hash CONTEXT BASE CODE_SERVER CODE_SERVER_SOURCE FILE...: the base image's remolt.build-hash, a sha256
# of each FILE of CONTEXT (in that order, each after a "== name" line), the base image's name and the code-server
# choice. The server computes the same bytes when it builds a missing image (src/Sandboxes/Docker/Build/
# SandboxBuildFiles.cs), so an image either of them built counts as up to date for the other.
base_build_hash() {
    local context="$1" base="$2" code_server="$3" code_server_source="$4" f
    shift 4
    {
        for f in "$@"; do
            printf '%s\n' "== $f"; cat "$context/$f"
        done
        printf '== base\n%s\n== code-server\n%s %s\n' "$base" "$code_server" "$code_server_source"
    } | sha256sum | cut -c1-64
}

# agent_build_hash CONTEXT AGENT_JSON BASE_ID: an agent image's remolt.build-hash (CONTEXT holds Dockerfile.agent
# and install.sh; BASE_ID is the base image's id, so a rebuilt base rebuilds its agents). The server computes the same.
agent_build_hash() {
    local context="$1" file="$2" base_id="$3"
    {
        printf '== Dockerfile.agent\n'; cat "$context/Dockerfile.agent"
        printf '== agent.json\n'; cat "$file"
        printf '== install.sh\n'; cat "$context/install.sh"
        printf '== base\n%s\n' "$base_id"
    } | sha256sum | cut -c1-64
}

# agent_image_name ID: REMOLT_<ID>_IMAGE (dashes as underscores, upper case) if set, else remolt-<id>; the server
# resolves agent images the same way.
agent_image_name() {
    local var
    var="REMOLT_$(printf '%s' "$1" | tr 'a-z-' 'A-Z_')_IMAGE"
    printf '%s' "${!var:-remolt-$1}"
}

# read_agent_manifest FILE BASE_IMAGE: prints "id\ninstall" from FILE, parsed by the base image's node without
# network. Exits with the file named when it is not a valid agent definition.
read_agent_manifest() {
    local file="$1" base_image="$2" reader
    reader="$(cat "$(dirname "${BASH_SOURCE[0]}")/agent-manifest.js")"
    docker run --rm -i --network none --entrypoint node "$base_image" -e "$reader" "$file" < "$file" \
        || die "cannot build the agent image: $file is not a valid agent definition (see above)"
}

# build_agent ID AGENTS_DIR BASE_IMAGE BASE_ID DOCKERFILE CONTEXT_DIR
build_agent() {
    local id="$1" dir="$2/$1" base_image="$3" base_id="$4" dockerfile="$5" context="$6"
    local file="$dir/agent.json" manifest declared install name hash
    manifest="$(read_agent_manifest "$file" "$base_image")" || exit 1
    declared="${manifest%%$'\n'*}"
    install="${manifest#*$'\n'}"
    [ "$declared" = "$id" ] || die "$file declares id '$declared' but lives in folder '$id'; they must match"

    mkdir -p "$context"
    cp "$dockerfile" "$context/Dockerfile.agent"
    if [ -f "$dir/install.sh" ]; then cp "$dir/install.sh" "$context/install.sh"; else : > "$context/install.sh"; fi

    name="$(agent_image_name "$id")"
    hash="$(agent_build_hash "$context" "$file" "$base_id")"

    # The install command is passed as a build argument and never printed here.
    build_cached "$name" "$hash" "(agent $id) FROM $base_image" \
        --file "$context/Dockerfile.agent" \
        --build-arg "BASE_IMAGE=$base_image" \
        --build-arg "AGENT_ID=$id" \
        --build-arg "AGENT_INSTALL=$install" \
        --label "remolt.agent=$id" \
        --label "remolt.base-image=$base_image" \
        "$context"
}
