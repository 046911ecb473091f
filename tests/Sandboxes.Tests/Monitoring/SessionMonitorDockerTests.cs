using System.Text;
using System.Text.Json;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Tests.Docker;
using RemoltBlazor.Sandboxes.Tests.Lifecycle;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Monitoring;

/// <summary>
/// The admin's view of real sessions on Docker: the screen preview, attached clients, and the read-only watch that
/// never types into nor resizes the owner's terminal and does not keep the session alive.
/// </summary>
public sealed class SessionMonitorDockerTests
{
    private static readonly TimeSpan s_timeout = DockerSessionHost.Timeout;

    [DockerFact]
    public async Task CaptureScreenAsync_ShowsWhatWasTypedIntoTmux_AsPlainText_AttachedClientsCounted()
    {
        await using var host = await DockerSessionHost.StartAsync();
        var session = await host.CreateAsync("alice");
        var owner = await AttachAsync(host, session, "alice", 100, 30);
        host.TerminalClients.CountOf(session.Id).ShouldBe(1);
        await using (owner)
        {
            await owner.SendAsync("printf '\\033[31mscreen-%s-text\\033[0m\\n' $((6*7))\r");
            await owner.WaitForAsync("screen-42-text");

            var screen = await host.Monitor.CaptureScreenAsync(session.Id, 0, CancellationToken.None).WaitAsync(s_timeout);

            screen.ShouldContain("screen-42-text");
            screen.ShouldNotContain("\u001b"); // the red is gone: text only
            (await host.Monitor.CaptureScreenAsync(session.Id, 3, CancellationToken.None).WaitAsync(s_timeout)).ShouldBe(""); // no such window
            var second = await AttachAsync(host, session, "alice", 100, 30, window: 1);
            host.TerminalClients.CountOf(session.Id).ShouldBe(2);
            await second.DisposeAsync();
            host.TerminalClients.CountOf(session.Id).ShouldBe(1);
        }

        host.TerminalClients.CountOf(session.Id).ShouldBe(0);
    }

    [DockerFact]
    public async Task WatchAsync_SeesTheOwnersOutput_CannotType_DoesNotResize_IsRecorded()
    {
        await using var host = await DockerSessionHost.StartAsync();
        var session = await host.CreateAsync("alice");
        await using var owner = await AttachAsync(host, session, "alice", 100, 30);
        await owner.RepeatUntilAsync("echo ready-$((1+1))\r", "ready-2");

        var stream = await host.Terminals.WatchAsync(session.Id, "root", new TerminalAttachOptions(0, new TerminalSize(60, 15)), CancellationToken.None)
            .WaitAsync(s_timeout);
        await using var watcher = new TerminalReader(stream);
        host.TerminalClients.CountOf(session.Id).ShouldBe(2);

        await owner.SendAsync("echo owner-$((2+3))-says\r");
        await watcher.WaitForAsync("owner-5-says");
        await watcher.SendAsync("echo watcher-$((4+4))-typed\r");
        await watcher.Terminal.ResizeAsync(new TerminalSize(40, 10), CancellationToken.None).WaitAsync(s_timeout);
        await Task.Delay(300);

        await owner.SendAsync("echo size-$(tput cols)x$(tput lines)\r");
        await owner.WaitForAsync("size-100x30");
        (await ExecAsync(host, session, "tmux display -p -t '=main:' '#{window_width}x#{window_height}'")).Trim().ShouldBe("100x30");
        (await host.Monitor.CaptureScreenAsync(session.Id, 0, CancellationToken.None).WaitAsync(s_timeout)).ShouldNotContain("watcher-8-typed");
        owner.Text.ShouldNotContain("watcher-8-typed");
        var flags = await ExecAsync(host, session, "tmux list-clients -t '=main' -F '#{client_flags}'");
        flags.ShouldContain("read-only");
        flags.ShouldContain("ignore-size");

        var connected = await EventsAsync(host, session, "terminal.connected");
        var watched = connected.Where(IsReadOnly).ShouldHaveSingleItem();
        watched.GetProperty("by").GetString().ShouldBe("root");
        connected.Count(e => !IsReadOnly(e)).ShouldBe(1); // the owner's
    }

    [DockerFact]
    public async Task ReadOnlyAttach_TheTmuxClientItself_IgnoresKeys()
    {
        // Below the attacher (which drops input anyway): the tmux client is read-only on its own.
        await using var host = await DockerSessionHost.StartAsync();
        var session = await host.CreateAsync("alice");
        await ExecAsync(host, session, "tmux new-session -d -s main");
        var stream = await host.Runtime.AttachTerminalAsync(session.SandboxId!, new TerminalAttachOptions(0) { ReadOnly = true }, CancellationToken.None)
            .WaitAsync(s_timeout);
        await using var watcher = new TerminalReader(stream);
        await Task.Delay(500);

        await watcher.SendAsync("echo raw-$((5+5))-typed\r");
        await Task.Delay(500);

        watcher.Text.ShouldNotContain("raw-10-typed");
        (await host.Monitor.CaptureScreenAsync(session.Id, 0, CancellationToken.None).WaitAsync(s_timeout)).ShouldNotContain("raw-10-typed");
    }

    [DockerFact]
    public async Task WatchAsync_DoesNotCountAsTheSessionsActivity_AndNeedsAnAdminName()
    {
        await using var host = await DockerSessionHost.StartAsync();
        var session = await host.CreateAsync("alice");
        await ExecAsync(host, session, "tmux new-session -d -s main");
        host.Time.Advance(TimeSpan.FromMinutes(5));
        var before = session.LastActivity;

        var stream = await host.Terminals.WatchAsync(session.Id, "root", new TerminalAttachOptions(0), CancellationToken.None).WaitAsync(s_timeout);
        await using (var watcher = new TerminalReader(stream))
        {
            await watcher.WaitForAsync("$");
        }

        session.LastActivity.ShouldBe(before);
        await Should.ThrowAsync<ArgumentException>(() => host.Terminals.WatchAsync(session.Id, " ", new TerminalAttachOptions(0), CancellationToken.None));
        await Should.ThrowAsync<SessionNotFoundException>(() => host.Terminals.WatchAsync(SessionIds.New(), "root", new TerminalAttachOptions(0), CancellationToken.None));
    }

    private static async Task<TerminalReader> AttachAsync(DockerSessionHost host, Session session, string caller, int columns, int rows, int window = 0)
    {
        var stream = await host.Terminals.AttachAsync(session.Id, caller, new TerminalAttachOptions(window, new TerminalSize(columns, rows)), CancellationToken.None)
            .WaitAsync(s_timeout);
        return new TerminalReader(stream);
    }

    private static async Task<string> ExecAsync(DockerSessionHost host, Session session, string script)
    {
        var result = await host.Runtime.ExecAsync(session.SandboxId!, ["sh", "-c", script], ReadOnlyMemory<byte>.Empty, CancellationToken.None).WaitAsync(s_timeout);
        result.ExitCode.ShouldBe(0, Encoding.UTF8.GetString(result.Stderr));
        return Encoding.UTF8.GetString(result.Stdout);
    }

    private static bool IsReadOnly(JsonElement fields) => fields.TryGetProperty("read_only", out var readOnly) && readOnly.GetBoolean();

    private static async Task<IReadOnlyList<JsonElement>> EventsAsync(DockerSessionHost host, Session session, string name)
    {
        var recent = await host.Events.RecentAsync(100, session.Id).WaitAsync(s_timeout);
        return [.. recent.Where(e => e.Name == name).Select(e => JsonDocument.Parse(e.Fields).RootElement.Clone())];
    }
}
