#!/bin/sh
# The server image's entrypoint. Started as root (the default), it gives the app's numeric user the group that owns
# the mounted Docker socket, makes the data folder the user's (once), and drops privileges with setpriv before
# running the app; nothing else keeps root. Started with --user, it runs the command as it is: then the socket's
# group must come from --group-add (docker run --user 10001 --group-add "$(stat -c %g /var/run/docker.sock)" ...).
set -eu

if [ "$(id -u)" != 0 ]; then
    exec "$@"
fi

uid="${REMOLT_APP_UID:-10001}"
data="${REMOLT_DATA_DIR:-/data}"
case "${DOCKER_HOST:-}" in
    unix://*) socket="${DOCKER_HOST#unix://}" ;;
    *) socket="${REMOLT_DOCKER_SOCKET:-/var/run/docker.sock}" ;;
esac

mkdir -p "$data"
# A fresh volume (or a folder from the host) is root's: hand it over once; later starts find it owned already.
if [ "$(stat -c %u "$data")" != "$uid" ]; then
    echo "remolt-entrypoint: giving $data to uid $uid" >&2
    chown -R "$uid:$uid" "$data"
fi

groups="--clear-groups"
if [ -S "$socket" ]; then
    gid="$(stat -c %g "$socket")"
    groups="--groups=$gid"
else
    echo "remolt-entrypoint: no Docker socket at $socket (mount it with -v /var/run/docker.sock:/var/run/docker.sock)" >&2
fi

exec setpriv --reuid="$uid" --regid="$uid" $groups --inh-caps=-all --no-new-privs -- "$@"
