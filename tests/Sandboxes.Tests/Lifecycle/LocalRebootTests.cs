using System.Diagnostics;
using RemoltBlazor.Sandboxes.Local;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Lifecycle;

/// <summary>
/// A host reboot under local (bubblewrap) sandboxes: their processes are gone and the boot id differs, so a server
/// starting afterwards ends their sessions as <c>lost</c> and clears their folders, instead of adopting a pid that
/// the new boot may have given to something else.
/// </summary>
public sealed class LocalRebootTests
{
    private static readonly Dictionary<string, string?> s_settings = new() { ["REMOLT_RUNTIME"] = "local" };

    [LocalFact]
    public async Task ServerStartAfterAReboot_EndsLocalSessionsAsLost_AndClearsTheirFolders()
    {
        var host = await DockerSessionHost.StartAsync(s_settings);
        var data = host.DataDirectory;
        try
        {
            var session = await host.CreateAsync();
            await host.AbandonAsync(); // the server goes down with the machine

            // The reboot: every process of the sandbox is gone, the kernel has a new boot id, and the recorded pid now
            // belongs to an unrelated process (here one with the very start time recorded, the worst case).
            var folder = Path.Combine(data, "sandboxes", LocalSandboxFolder.IdFor(session.Id));
            await KillSandboxesAsync(data);
            using var stranger = Process.Start("sleep", ["120"]);
            var state = LocalSandboxState.TryRead(Path.Combine(folder, "sandbox.json")).ShouldNotBeNull();
            (state with { Pid = stranger.Id, StartTime = LocalProcesses.StartTime(stranger.Id)!.Value, BootId = Guid.NewGuid().ToString() })
                .Write(Path.Combine(folder, "sandbox.json"));

            await using var restarted = await DockerSessionHost.StartAsync(s_settings, data);

            restarted.Sessions.Snapshot().ShouldBeEmpty();
            stranger.HasExited.ShouldBeFalse("the process that holds the old pid now is not the sandbox's, and is left alone");
            stranger.Kill();
            var events = await restarted.Events.RecentAsync(50, session.Id);
            events.ShouldContain(e => e.Name == "session.ended" && e.Fields.Contains("\"reason\":\"lost\""));
            Directory.Exists(folder).ShouldBeFalse("a lost sandbox's folder is cleared");
        }
        finally
        {
            await host.AbandonAsync();
            await KillSandboxesAsync(data);
        }
    }

    private static async Task KillSandboxesAsync(string data)
    {
        using var pkill = Process.Start("pkill", ["-KILL", "-f", Path.Combine(data, "sandboxes")]);
        await pkill.WaitForExitAsync();
        await Poll.UntilAsync(() => !Process.GetProcesses().Any(IsSandboxOf(data)), TimeSpan.FromSeconds(10));
    }

    private static Func<Process, bool> IsSandboxOf(string data) => process =>
    {
        try
        {
            return File.ReadAllText($"/proc/{process.Id}/cmdline").Contains(Path.Combine(data, "sandboxes"), StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    };
}
