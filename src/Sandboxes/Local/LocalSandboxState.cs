using System.Text.Json;

namespace RemoltBlazor.Sandboxes.Local;

/// <summary>
/// What a session folder records (<c>sandbox.json</c>, server-owned): the labels a restarted server lists the sandbox
/// by, and what identifies its running process tree (the outer bwrap's pid, that process's start time in clock ticks
/// since boot, and the boot id), so a pid reused after a reboot or a crash is never taken for the sandbox.
/// </summary>
internal sealed record LocalSandboxState(
    string SessionId,
    string Owner,
    string AgentId,
    string InstanceId,
    string Hostname,
    int Pid,
    long StartTime,
    string BootId)
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    public static LocalSandboxState? TryRead(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<LocalSandboxState>(File.ReadAllText(path), s_json);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Written to a temporary file and renamed over, so a reader never sees half of it.</summary>
    public void Write(string path)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, s_json));
        LocalNative.Chmod(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, path, overwrite: true);
    }
}
