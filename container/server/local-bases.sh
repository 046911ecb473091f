# Functions for build-server-image.sh (sourced after ../build-lib.sh, not run): the two base images the server's
# Dockerfile needs, made on this machine for places where no registry serves mcr.microsoft.com/dotnet/*. Each
# carries remolt.build-hash, a sha256 of what went into it, and is made again only when that changes.

# What the runtime base holds: what a self-contained .NET app needs (glibc, libstdc++ and zlib come with minbase;
# no ICU: the app runs with InvariantGlobalization), plus the tools the entrypoint uses (setpriv from util-linux,
# stat, chown: both in minbase).
runtime_base_packages="ca-certificates,libssl3,zlib1g,tzdata"

# strip_rootfs DIR: what no running server reads (docs, man pages, locales, apt's lists and caches, logs), glibc's
# iconv modules (.NET converts encodings itself; UTF-8 and ASCII are built into glibc), the leap-second copies of
# the time zones (zoneinfo/right) and e2fsprogs. apt and dpkg keep working, so an image FROM this one can still install packages.
strip_rootfs() {
    local root="$1" package
    # Filesystem tools a container never runs (minbase's only non-essential ones no other package needs).
    for package in e2fsprogs libext2fs2 libss2; do
        chroot "$root" dpkg --purge "$package" >/dev/null 2>&1 || true
    done
    rm -rf "$root"/usr/lib/x86_64-linux-gnu/gconv "$root"/usr/share/zoneinfo/right
    rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/var/log/* "$root"/var/cache/debconf/*-old \
        "$root"/var/lib/dpkg/*-old "$root"/usr/share/man "$root"/usr/share/info "$root"/usr/share/lintian \
        "$root"/usr/share/locale "$root"/usr/share/i18n "$root"/usr/share/bash-completion "$root"/usr/share/zsh
    # Keep every package's copyright file (the licences); drop the rest of /usr/share/doc.
    find "$root"/usr/share/doc -type f ! -name copyright -delete 2>/dev/null || true
    find "$root"/usr/share/doc -type d -empty -delete 2>/dev/null || true
    mkdir -p "$root"/usr/share/doc
}

# image_hash NAME: the remolt.build-hash label of NAME, or nothing.
image_hash() {
    docker image inspect -f '{{ index .Config.Labels "remolt.build-hash" }}' "$1" 2>/dev/null || true
}

# ensure_local_runtime_base NAME WORK_DIR: a stripped Debian bookworm minbase with the .NET runtime's native
# dependencies, made with debootstrap and imported as NAME: the stand-in for runtime-deps:10.0-noble (Debian, since
# the apt mirror here is Debian's; a self-contained app needs only glibc, libstdc++, OpenSSL and zlib).
ensure_local_runtime_base() {
    local name="$1" rootfs="$2/runtime-rootfs" hash mirror started old_id
    hash="$( { printf 'runtime-base v4\n%s\n' "$runtime_base_packages"; declare -f strip_rootfs; } | sha256sum | cut -c1-64)"
    if [ "$(image_hash "$name")" = "$hash" ] && ! ${force:-false}; then
        log "$name is up to date (remolt.build-hash=${hash:0:12})"
        return
    fi
    command -v debootstrap >/dev/null || die "local base images need debootstrap (apt-get install -y debootstrap)"
    mirror="$(apt_mirror)"
    started=$SECONDS
    log "making $name: debootstrap --variant=minbase --include=$runtime_base_packages bookworm from $mirror"
    mkdir -p "$rootfs"
    debootstrap --variant=minbase --include="$runtime_base_packages" bookworm "$rootfs" "$mirror" >"$2/debootstrap.log" 2>&1 \
        || { tail -30 "$2/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
    strip_rootfs "$rootfs"
    log "importing $name ($(du -sm "$rootfs" | cut -f1) MB)"
    old_id="$(docker image inspect -f '{{.Id}}' "$name" 2>/dev/null || true)"
    tar -C "$rootfs" -c . | docker import \
        --change "LABEL remolt.build-hash=$hash" \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["/bin/bash"]' - "$name" >/dev/null
    rm -rf "$rootfs"
    # The previous base goes unless an image built FROM it still needs it.
    [ -z "$old_id" ] || docker rmi "$old_id" >/dev/null 2>&1 || true
    log "$name ready in $((SECONDS - started)) s"
}

# ensure_local_sdk_base NAME FROM_IMAGE WORK_DIR: FROM_IMAGE (a bookworm minbase) with this machine's .NET SDK folder
# and its node and npm copied in (the stand-in for sdk:10.0, which has no node: the Dockerfile installs it there).
ensure_local_sdk_base() {
    local name="$1" from="$2" context="$3/sdk-context" dotnet_root node npm_root from_id hash
    command -v dotnet >/dev/null || die "a local SDK base needs the .NET SDK on this machine (dotnet is not on PATH)"
    command -v node >/dev/null && command -v npm >/dev/null || die "a local SDK base needs node and npm on this machine"
    dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
    node="$(readlink -f "$(command -v node)")"
    npm_root="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
    [ -f "$npm_root/package.json" ] || die "cannot find npm's folder (from $(command -v npm))"
    from_id="$(docker image inspect -f '{{.Id}}' "$from")"

    mkdir -p "$context"
    cat > "$context/Dockerfile" <<'DOCKERFILE'
ARG FROM_IMAGE
FROM ${FROM_IMAGE}
COPY dotnet/ /usr/share/dotnet/
COPY node /usr/local/bin/node
COPY npm/ /usr/local/lib/node_modules/npm/
# The SDK runs with invariant globalization here: no ICU in this base, and a build needs no culture data.
ENV DOTNET_ROOT=/usr/share/dotnet DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
RUN ln -s /usr/share/dotnet/dotnet /usr/local/bin/dotnet \
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && dotnet --version && node --version && npm --version
DOCKERFILE
    hash="$( {
        cat "$context/Dockerfile"
        printf '== from %s\n' "$from_id"
        dotnet --list-sdks; dotnet --list-runtimes
        "$node" --version; cat "$npm_root/package.json" | grep -m1 '"version"'
    } | sha256sum | cut -c1-64)"
    if [ "$(image_hash "$name")" = "$hash" ] && ! ${force:-false}; then
        log "$name is up to date (remolt.build-hash=${hash:0:12})"
        return
    fi
    ln -s "$dotnet_root" "$context/dotnet"
    ln -s "$node" "$context/node"
    ln -s "$npm_root" "$context/npm"
    log "making $name FROM $from: .NET SDK $(dotnet --version) from $dotnet_root, node $("$node" --version)"
    # -h: the context's links point at the host's folders; the daemon gets their content. No RUN step here needs a
    # network.
    tar -C "$context" -ch . | build_cached "$name" "$hash" "(local SDK base)" --build-arg "FROM_IMAGE=$from" --network none -
}
