# The Remolt server as one container: mount the Docker socket and a volume for /data.
#
#   docker build -t remolt-server .
#   docker run -d --name remolt -p 8080:8080 -v /var/run/docker.sock:/var/run/docker.sock -v remolt-data:/data remolt-server
#
# Where no registry serves the base images, container/build-server-image.sh makes local ones and passes them as
# SDK_IMAGE / RUNTIME_IMAGE (see the README, "Run it as one container", and container/README.md).
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
# .NET 10 ships no Debian images (Ubuntu 24.04 is its default; no bookworm or trixie tags): runtime-deps:10.0-noble.
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0-noble

# ---- build: a self-contained publish (the runtime packs restore from NuGet), front-end assets from npm ---------
FROM ${SDK_IMAGE} AS build
# Names this stage's (untagged) image, so build-server-image.sh keeps only the newest one as the build cache.
LABEL remolt.build-stage=server
# An intercepting HTTPS proxy's CA (build-server-image.sh puts SSL_CERT_FILE's bundle here; committed empty). Only
# this stage trusts it: the final image copies nothing from this layer but the published app.
COPY container/server/extra-ca.crt /tmp/extra-ca.crt
RUN if [ -s /tmp/extra-ca.crt ]; then cat /tmp/extra-ca.crt >> /etc/ssl/certs/ca-certificates.crt; fi
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The official SDK image has no node; build/Xterm.targets and build/CodeMirror.targets need node and npm.
RUN command -v npm >/dev/null || { apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*; }
WORKDIR /src
# Restore first, in its own layer, so a source change does not download the packages again.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY build/ build/
COPY src/Data/RemoltBlazor.Data.csproj src/Data/
COPY src/Sandboxes/RemoltBlazor.Sandboxes.csproj src/Sandboxes/
COPY src/Web/RemoltBlazor.Web.csproj src/Web/package.json src/Web/package-lock.json src/Web/
RUN dotnet restore src/Web/RemoltBlazor.Web.csproj -r linux-x64 \
 && cd src/Web && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.remolt-npm-ci.stamp
COPY agents/ agents/
# What src/Sandboxes embeds: the files container/build-images.sh builds the sandbox images from, so the server builds
# a missing image at launch without a container/ folder (and without a docker CLI); the local runtime reads its
# sandboxes' scripts from the same resources.
COPY container/Dockerfile.base container/Dockerfile.agent container/entrypoint.sh container/tmux.conf container/welcome.sh \
     container/git-credential-remolt container/gh-wrapper container/code-server-start.sh container/code-server-stand-in.js container/
COPY src/ src/
# Self-contained, not trimmed (Blazor Server does not support trimming), no single file (the static web assets
# and agents sit next to the app). Only English satellite resources: the UI is English. Without the two libraries
# a managed debugger or SOS loads into the process (4 MB; dumps are still written by createdump and read elsewhere).
# The csproj says RequiresAspNetWebAssets, so the restore above already has the package behind _framework/blazor.web.js
# (the grep below fails the build if the page's script is ever missing again).
RUN dotnet publish src/Web/RemoltBlazor.Web.csproj -c Release -r linux-x64 --self-contained --no-restore \
      -p:SatelliteResourceLanguages=en -p:DebugType=none -o /app \
 && test -f /app/agents/claude-code/agent.json \
 && grep -q '"Route":"_framework/blazor.web.js"' /app/RemoltBlazor.Web.staticwebassets.endpoints.json \
 && rm /app/libmscordbi.so /app/libmscordaccore.so

# ---- run ------------------------------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE}
# A numeric non-root user: the entrypoint (started as root) gives it the mounted socket's group and drops to it with
# setpriv (util-linux; a package of its own on newer distributions, installed only where it is missing).
ARG APP_UID=10001
RUN { command -v setpriv >/dev/null || { apt-get update && apt-get install -y --no-install-recommends setpriv && rm -rf /var/lib/apt/lists/*; }; } \
 && groupadd --gid ${APP_UID} remolt \
 && useradd --no-log-init --uid ${APP_UID} --gid ${APP_UID} --no-create-home --home-dir /data --shell /usr/sbin/nologin remolt \
 && mkdir -p /data && chown ${APP_UID}:${APP_UID} /data
COPY --from=build /app /app
COPY container/server/entrypoint.sh /usr/local/bin/remolt-entrypoint
# The content root is the app's folder (appsettings.json, wwwroot), while the working directory stays /data, where a
# .env file on the volume is read.
ENV REMOLT_DATA_DIR=/data \
    ASPNETCORE_CONTENTROOT=/app \
    REMOLT_AGENTS_DIR=/app/agents \
    REMOLT_APP_UID=${APP_UID} \
    ASPNETCORE_URLS=http://+:8080 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    HOME=/data
WORKDIR /data
VOLUME /data
EXPOSE 8080 8081
STOPSIGNAL SIGTERM
# The app's own verb (no curl in the image): GET http://127.0.0.1:8080/health with a 3 s timeout, exit 0 or 1.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["/app/RemoltBlazor.Web", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/remolt-entrypoint"]
CMD ["/app/RemoltBlazor.Web"]
