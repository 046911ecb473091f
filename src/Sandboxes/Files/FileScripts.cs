namespace RemoltBlazor.Sandboxes.Files;

/// <summary>
/// The sandbox side of the file API: one bash script run as <c>dev</c> with the operation and the paths as argv
/// (<c>bash -c SCRIPT remolt-files OP ARGS...</c>), never pasted into the script. It is the second confinement layer:
/// every path is resolved with <c>realpath</c> inside the sandbox, where the links are, and refused unless it stays
/// under <c>~/workspace</c>. Existing entries are followed through links (<c>existing</c>); a new entry, and an entry
/// that is deleted or moved, resolves only its folder (<c>planned</c>, <c>entry</c>), so removing or renaming a link
/// touches the link, never its target. Exit codes name the outcome (see <see cref="ExitCodes"/>); stderr says why.
/// </summary>
internal static class FileScripts
{
    public static class ExitCodes
    {
        public const int Outside = 3;
        public const int NotFound = 4;
        public const int Conflict = 5;
        public const int WrongType = 6;
        public const int Incomplete = 7;
        public const int NoInotify = 127;
    }

    /// <summary>inotifywait's output: the event names, NUL, the full path, NUL (no newline: names may contain one).</summary>
    public const string WatchFormat = "%e%0%w%f%0";

    /// <summary>Folders never watched nor polled: version control internals and dependency trees change in bursts of thousands.</summary>
    public const string ExcludedPattern = "(^|/)(\\.git|node_modules)(/|$)";

    public const string Script = """
        W=/home/dev/workspace
        fail() { printf '%s\n' "$2" >&2; exit "$1"; }
        inside() { case "$1" in "$W" | "$W"/*) return 0 ;; esac; return 1; }
        existing() {
          R=$(realpath -e -- "$W/$1" 2>/dev/null) || fail 4 "/$1 does not exist."
          inside "$R" || fail 3 "/$1 leads out of the workspace."
        }
        planned() {
          R=$(realpath -m -- "$W/$(dirname -- "$1")") || fail 3 "/$1 cannot be resolved."
          inside "$R" || fail 3 "/$1 leads out of the workspace."
          R="$R/$(basename -- "$1")"
        }
        entry() { planned "$1"; [ -e "$R" ] || [ -L "$R" ] || fail 4 "/$1 does not exist."; }
        makedir() {
          mkdir -p -- "$1" || fail 1 "Cannot create the folder of /$2."
          [ "$(realpath -e -- "$1")" = "$1" ] || fail 3 "A folder of /$2 leads out of the workspace."
        }
        stamp() { find "$1" -maxdepth 0 -printf '%s %T@ %i'; }
        version() {
          case "$2" in
            sha256:*) printf 'sha256:%s' "$(sha256sum < "$1" | cut -c1-64)" ;;
            *) find "$1" -maxdepth 0 -printf 'stat:%s:%T@:%i' ;;
          esac
        }
        { [ -d "$W" ] && [ ! -L "$W" ]; } || fail 4 "The sandbox has no ~/workspace folder."
        op=$1; shift
        case "$op" in
          list)
            existing "$1"; [ -d "$R" ] || fail 6 "/$1 is not a folder."
            cd -- "$R" && exec find . -mindepth 1 -maxdepth 1 -printf '%y\0%s\0%T@\0%P\0' ;;
          read)
            existing "$1"; [ -f "$R" ] || fail 6 "/$1 is not a file."
            s=$(stamp "$R") || exit 1
            printf '%s\n' "$s"
            [ "${s%% *}" -gt "$2" ] || exec head -c "$(($2 + 1))" -- "$R" ;;
          write)
            rel=$1 expected=$2 mode=$3 n=$4
            planned "$rel"; t=$R
            if [ -L "$t" ]; then t=$(realpath -m -- "$t"); inside "$t" || fail 3 "/$rel leads out of the workspace."; fi
            [ -d "$t" ] && fail 6 "/$rel is a folder."
            d=$(dirname -- "$t"); makedir "$d" "$rel"
            if [ -e "$t" ]; then
              [ "$mode" = create ] && fail 5 "/$rel already exists."
              [ -z "$expected" ] || [ "$(version "$t" "$expected")" = "$expected" ] || fail 5 "/$rel changed since it was read."
            elif [ -n "$expected" ]; then
              fail 5 "/$rel was deleted since it was read."
            fi
            tmp=$(mktemp -- "$d/.remolt-write.XXXXXX") || fail 1 "Cannot write in the folder of /$rel."
            trap 'rm -f -- "$tmp"' EXIT
            head -c "$n" > "$tmp" || fail 1 "Writing /$rel failed."
            [ "$(stat -c %s -- "$tmp")" = "$n" ] || fail 7 "The content of /$rel arrived incomplete; nothing was written."
            if [ -e "$t" ]; then chmod --reference="$t" -- "$tmp"; else chmod "$(printf '%o' $((0666 & ~$(umask))))" -- "$tmp"; fi
            mv -fT -- "$tmp" "$t" || fail 1 "Writing /$rel failed."
            trap - EXIT
            stamp "$t" ;;
          mkdir)
            planned "$1"
            { [ -e "$R" ] || [ -L "$R" ]; } && fail 5 "/$1 already exists."
            makedir "$(dirname -- "$R")" "$1"
            mkdir -- "$R" || fail 1 "Cannot create /$1." ;;
          delete)
            entry "$1"
            rm -rf -- "$R" || fail 1 "Cannot delete all of /$1." ;;
          move)
            entry "$1"; from=$R
            planned "$2"; to=$R
            { [ -e "$to" ] || [ -L "$to" ]; } && fail 5 "/$2 already exists."
            makedir "$(dirname -- "$to")" "$2"
            mv -T -- "$from" "$to" || fail 1 "Cannot move /$1 to /$2." ;;
          open)
            existing "$1"; [ -f "$R" ] || fail 6 "/$1 is not a file."
            printf K; exec cat -- "$R" ;;
          snapshot)
            cd -- "$W" && exec find . -mindepth 1 \( -name .git -o -name node_modules \) -prune -o -printf '%y %s %T@ %i\0%P\0' ;;
          watch)
            command -v inotifywait >/dev/null || fail 127 "inotifywait is not installed in this sandbox."
            exec 3<&0
            inotifywait -m -r -q --no-newline --format "$1" --exclude "$2" -e create,delete,close_write,moved_from,moved_to -- "$W" </dev/null &
            pid=$!
            { cat <&3 >/dev/null; kill "$pid" 2>/dev/null; } >/dev/null 2>&1 &
            wait "$pid" ;;
          *) fail 2 "Unknown operation $op." ;;
        esac
        """;

    public static IReadOnlyList<string> Command(params string[] arguments) => ["bash", "-c", Script, "remolt-files", .. arguments];
}
