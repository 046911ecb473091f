using System.Diagnostics;
using System.Text;
using RemoltBlazor.Sandboxes.Logs;

namespace RemoltBlazor.Sandboxes.Tests.Logs;

/// <summary>The logs command run on this machine's bash: the agent.json value is an argument, never script text.</summary>
public sealed class AgentLogsCommandTests
{
    [Theory]
    [InlineData("/var/log/x.log", true)]
    [InlineData("~/.openclaw/logs/gateway.log", true)]
    [InlineData("journalctl -f", false)]
    [InlineData("~user/x", false)]
    public void IsFile_PathOrCommand(string logs, bool file) => AgentLogs.IsFile(logs).ShouldBe(file);

    [Fact]
    public async Task Command_FileWithShellCharactersInName_TailsItWithoutRunningAnything()
    {
        var dir = Directory.CreateTempSubdirectory("remolt-logs-");
        try
        {
            var marker = Path.Combine(dir.FullName, "pwned");
            var path = Path.Combine(dir.FullName, "a b'c\"$(touch pwned).log");
            await File.WriteAllTextAsync(path, "line one\nline two\n");

            var output = await RunAsync(AgentLogs.Command(path, TimeSpan.FromSeconds(4)), "line two", dir.FullName);

            output.ShouldBe("line one\nline two\n");
            File.Exists(marker).ShouldBeFalse();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Command_MissingFile_WaitsThenGivesUp()
    {
        var output = await RunAsync(AgentLogs.Command("/nonexistent/remolt/never.log", TimeSpan.FromSeconds(4)), "Agent setup may have failed.");

        output.ShouldBe("Waiting for logs...\nWaiting for logs...\nERROR: Log file never appeared after 4 seconds. Agent setup may have failed.\n");
    }

    [Fact]
    public async Task Command_ShellCommand_RunsWithItsStderr()
    {
        var output = await RunAsync(AgentLogs.Command("echo out; echo err >&2", TimeSpan.FromSeconds(4)), "err");

        output.ShouldBe("out\nerr\n");
    }

    /// <summary>Runs the command until <paramref name="until"/> is printed, then closes its stdin (as a closed socket does) and expects it to end.</summary>
    private static async Task<string> RunAsync(IReadOnlyList<string> command, string until, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in command.Skip(1))
        {
            psi.ArgumentList.Add(argument);
        }

        using var process = Process.Start(psi)!;
        var output = new StringBuilder();
        var buffer = new char[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!output.ToString().Contains(until, StringComparison.Ordinal))
        {
            var read = await process.StandardOutput.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }

            output.Append(buffer, 0, read);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync(timeout.Token);
        return output.ToString();
    }
}
