using System.Diagnostics;
using RemoltBlazor.Sandboxes.Images;
using RemoltBlazor.Sandboxes.Local.Tools;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Local.Tools;

/// <summary>
/// Agents' installs into shared tool folders on real bubblewrap: once per install version, streamed, bound read-only
/// into every session of the agent, and nothing left behind by an install that fails or is cancelled.
/// </summary>
public sealed class LocalToolBuilderTests
{
    private const string HelloInstall =
        "echo line one; echo line two >&2; echo line three; echo \"leak=[${REMOLT_TOOLS_TEST_LEAK:-}]\"; " +
        "mkdir -p \"$NPM_CONFIG_PREFIX/bin\"; printf '#!/bin/sh\\necho hello from the agent\\n' > \"$NPM_CONFIG_PREFIX/bin/hello-agent\"; " +
        "chmod +x \"$NPM_CONFIG_PREFIX/bin/hello-agent\"";

    [LocalFact]
    public async Task BuildAsync_FirstLaunch_InstallsOnceStreamingItsLines_SessionsRunTheToolReadOnly_NextPlanReuses()
    {
        // The server's own environment never reaches the install (bwrap starts it with a clean one).
        Environment.SetEnvironmentVariable("REMOLT_TOOLS_TEST_LEAK", "server-only");
        using var host = new LocalToolsHost(new Dictionary<string, string> { ["hello"] = HelloInstall });

        var (plan, reporter) = await host.InstallAsync("hello");

        plan.Steps.ShouldBe(2);
        plan.AgentId.ShouldBe("hello");
        reporter.Steps.ShouldBe(["0: install hello", "1: finish"]);
        reporter.Lines.ShouldBe(["remolt: running the install command of agents/hello/agent.json", "line one", "line two", "line three", "leak=[]"]);
        var folder = host.ToolFolders().ShouldHaveSingleItem();
        Path.GetFileName(folder).ShouldMatch("^hello-[0-9a-f]{12}$");
        File.Exists(Path.Combine(folder, LocalToolFolders.Marker)).ShouldBeTrue();
        host.WorkLeft().ShouldBeEmpty();

        var sandbox = await host.StartSandboxAsync("hello");
        var output = await host.LoginShellAsync(sandbox,
            "command -v hello-agent; hello-agent; " +
            "touch /tmp/.remolt/tools/new 2>/dev/null && echo wrote || echo read-only; " +
            "echo changed 2>/dev/null > /tmp/.remolt/tools/bin/hello-agent && echo wrote || echo read-only");

        output.ShouldBe("/tmp/.remolt/tools/bin/hello-agent\nhello from the agent\nread-only\nread-only\n");
        File.Exists(Path.Combine(folder, "new")).ShouldBeFalse();
        (await host.Builder.PlanAsync(host.Agent("hello"), "remolt-hello", CancellationToken.None)).ShouldBeNull("the tool folder is reused");
    }

    [LocalFact]
    public async Task BuildAsync_InstallFails_ThrowsWithItsOutputAndLeavesNoToolFolder()
    {
        using var host = new LocalToolsHost(new Dictionary<string, string> { ["broken"] = "mkdir -p \"$NPM_CONFIG_PREFIX/bin\"; echo about to fail; exit 3" });

        var error = await Should.ThrowAsync<ImageBuildException>(host.InstallAsync("broken"));

        error.Message.ShouldContain("about to fail");
        error.Message.ShouldContain("exit code 3");
        error.Step.ShouldBe("install broken");
        error.Output.ShouldContain("about to fail");
        host.ToolFolders().ShouldBeEmpty();
        host.WorkLeft().ShouldBeEmpty();
        (await host.Builder.PlanAsync(host.Agent("broken"), "remolt-broken", CancellationToken.None)).ShouldNotBeNull("a failed install is tried again");
        // A session of the agent still starts, without tools.
        var sandbox = await host.StartSandboxAsync("broken");
        (await host.LoginShellAsync(sandbox, "test -e /tmp/.remolt/tools/bin && echo bound || echo none")).ShouldBe("none\n");
    }

    [LocalFact]
    public async Task BuildAsync_Cancelled_StopsTheInstallAndLeavesNoToolFolder()
    {
        // A duration nobody else sleeps for: how the install's process is found in /proc.
        var sleep = $"300.{Random.Shared.Next(100000, 999999)}";
        using var host = new LocalToolsHost(new Dictionary<string, string>
        {
            ["slow"] = $"mkdir -p \"$NPM_CONFIG_PREFIX/bin\"; touch \"$NPM_CONFIG_PREFIX/bin/half-made\"; echo started; sleep {sleep}",
        });
        var plan = (await host.Builder.PlanAsync(host.Agent("slow"), "remolt-slow", CancellationToken.None)).ShouldNotBeNull();
        var reporter = new RecordingReporter();
        using var cancel = new CancellationTokenSource();

        var build = host.Builder.BuildAsync(plan, reporter, cancel.Token);
        await Poll.UntilAsync(() => reporter.Lines.Contains("started"), LocalToolsHost.Timeout);
        // The sleep is bash's next child after the echo: it runs within moments.
        await Poll.UntilAsync(() => SleepersOf(sleep).Count > 0, TimeSpan.FromSeconds(10));
        build.IsCompleted.ShouldBeFalse();
        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(build.WaitAsync(LocalToolsHost.Timeout));
        host.ToolFolders().ShouldBeEmpty();
        host.WorkLeft().ShouldBeEmpty();
        await Poll.UntilAsync(() => SleepersOf(sleep).Count == 0, TimeSpan.FromSeconds(10));
    }

    [LocalFact]
    public async Task CreateAsync_TwoSessionsOfTheAgent_ShareOneToolFolder()
    {
        using var host = new LocalToolsHost(new Dictionary<string, string> { ["hello"] = HelloInstall });
        await host.InstallAsync("hello");
        var folder = host.ToolFolders().ShouldHaveSingleItem();

        var first = await host.StartSandboxAsync("hello");
        var second = await host.StartSandboxAsync("hello");
        var inodes = new[]
        {
            await host.LoginShellAsync(first, "stat -c %i /tmp/.remolt/tools; hello-agent"),
            await host.LoginShellAsync(second, "stat -c %i /tmp/.remolt/tools; hello-agent"),
        };

        inodes.ShouldAllBe(output => output == $"{Inode(folder)}\nhello from the agent\n");
        host.ToolFolders().ShouldHaveSingleItem();
    }

    private static List<int> SleepersOf(string duration) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ReadCommandLine(pid) == $"sleep\0{duration}\0")];

    private static string ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static string Inode(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true })!;
        var inode = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return inode;
    }
}
