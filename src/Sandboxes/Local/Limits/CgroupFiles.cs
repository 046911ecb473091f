using System.Globalization;
using System.Runtime.InteropServices;
using RemoltBlazor.Sandboxes.Local.Pty;

namespace RemoltBlazor.Sandboxes.Local.Limits;

/// <summary>Reading and writing cgroup control files, the same for both cgroup versions.</summary>
internal static partial class CgroupFiles
{
    private static readonly TimeSpan s_killPause = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan s_removePause = TimeSpan.FromMilliseconds(50);
    private const int RemoveAttempts = 100;

    /// <summary>
    /// Group names become directory names under the <c>remolt</c> parent: nothing that could climb out of it or
    /// collide with a control file (those all hold a '.' after a controller name, which a session id never starts with).
    /// </summary>
    public static string ValidateName(string name)
    {
        if (name.Length is 0 or > 100 || name[0] == '.'
            || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException($"'{name}' is not a valid group name (letters, digits, '-', '_', '.'; at most 100).", nameof(name));
        }

        return name;
    }

    /// <summary>The file's text, or null when the file does not exist (the kernel lacks that controller or feature).</summary>
    public static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public static long? ReadLong(string path) =>
        long.TryParse(Read(path)?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>The value of <paramref name="key"/> in a flat keyed file (<c>memory.stat</c>, <c>cpu.stat</c>).</summary>
    public static long? ReadKey(string path, string key)
    {
        foreach (var line in (Read(path) ?? "").Split('\n'))
        {
            var parts = line.Split(' ', 2);
            if (parts.Length == 2 && parts[0] == key
                && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>One write per value: the kernel takes a control file's value from a single write().</summary>
    public static void Write(string path, string value) => File.WriteAllText(path, value);

    public static IEnumerable<int> ReadProcesses(string directory) =>
        (Read(Path.Combine(directory, "cgroup.procs")) ?? "")
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line => int.Parse(line, CultureInfo.InvariantCulture));

    /// <summary>
    /// SIGKILL to every process until none is left. A process may fork between the listing and the kill, so this
    /// lists again until the list is empty; the kernel takes an exiting process out of its group before it is reaped.
    /// </summary>
    public static async Task KillAllAsync(Func<IReadOnlyList<int>> processIds, CancellationToken cancellationToken)
    {
        while (processIds() is { Count: > 0 } pids)
        {
            foreach (var pid in pids)
            {
                PtyNative.Signal(pid, PtyNative.SIGKILL);
            }

            await Task.Delay(s_killPause, cancellationToken);
        }
    }

    /// <summary>
    /// Removes a group's directory (rmdir: its control files are not real files). A group whose last process has just
    /// been killed can stay busy for a moment, so EBUSY is retried for a while.
    /// </summary>
    public static async Task RemoveDirectoryAsync(string directory, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(directory);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException) when (attempt < RemoveAttempts)
            {
                await Task.Delay(s_removePause, cancellationToken);
            }
        }
    }

    /// <summary>Whether the directory could be created (or exists) and written to: the one honest test on cgroupfs.</summary>
    public static bool TryCreateDirectory(string directory, out string? failure)
    {
        try
        {
            Directory.CreateDirectory(directory);
            // An existing directory may belong to someone else (made by root before the server dropped to a user).
            failure = access(directory, W_OK) == 0 ? null : Marshal.GetLastPInvokeErrorMessage();
            return failure is null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            failure = ex.Message;
            return false;
        }
    }

    public static int EffectiveUserId() => (int)geteuid();

    private const int W_OK = 2;

    [LibraryImport("libc")]
    private static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int access(string path, int mode);
}
