using RemoltBlazor.Sandboxes.Local;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Tests.Local;

/// <summary>The command lines of a sandbox and of a terminal attach, for a root server and an unprivileged one.</summary>
public sealed class LocalCommandLineTests
{
    private static readonly LocalSandboxFolder s_folder = LocalSandboxFolder.For("/srv/data/sandboxes", "remolt-s1")!;

    [Fact]
    public void Arguments_RootServer_DropsToTheUidWithNoCapsOrGroupsBeforeBwrap()
    {
        var args = LocalSandboxCommand.Arguments(s_folder, "/srv/data/local-lib", "abc123", isolatedNetwork: false, runAsUid: 1234, ["/usr", "/no-such-folder"], new Dictionary<string, string> { ["FOO"] = "bar" });

        args.Take(8).ShouldBe(["setsid", "setpriv", "--reuid=1234", "--regid=1234", "--clear-groups", "--inh-caps=-all", "--no-new-privs", "--"]);
        args[8].ShouldBe("bwrap");
        args.ShouldNotContain("--die-with-parent");
        args.ShouldNotContain("--unshare-net");
        args.ShouldContain("--clearenv");
        var line = string.Join(' ', args);
        // The hidden folders go under tmpfs before the session's home is bound in; missing ones are left out.
        line.ShouldContain("--tmpfs /home --tmpfs /usr ");
        line.IndexOf("--tmpfs /usr", StringComparison.Ordinal).ShouldBeLessThan(line.IndexOf("--bind /srv/data/sandboxes/remolt-s1/home /home/dev", StringComparison.Ordinal));
        line.ShouldNotContain("/no-such-folder");
        line.ShouldContain("--setenv FOO bar");
        args[^1].ShouldBe("/tmp/.remolt/lib/remolt-init");
    }

    [Fact]
    public void Arguments_UnprivilegedServer_RunsBwrapAsItself_NoNetworkUnshares()
    {
        var args = LocalSandboxCommand.Arguments(s_folder, "/srv/data/local-lib", "abc123", isolatedNetwork: true, runAsUid: null, [], new Dictionary<string, string>());

        args.Take(2).ShouldBe(["setsid", "bwrap"]);
        args.ShouldNotContain("setpriv");
        args.ShouldContain("--unshare-net");
    }

    [Fact]
    public void TerminalStartInfo_AttachesWithoutEverStartingAServer_AsTheSandboxUidUnderRoot()
    {
        var asRoot = LocalTerminals.StartInfo("/srv/s/tmux/default", new TerminalAttachOptions(2), runAsUid: 1234);
        var asUser = LocalTerminals.StartInfo("/srv/s/tmux/default", new TerminalAttachOptions(0) { ReadOnly = true }, runAsUid: null);

        asRoot.FileName.ShouldBe("setpriv");
        string.Join(' ', asRoot.Arguments).ShouldEndWith("-- tmux -N -S /srv/s/tmux/default new-session -A -s main-2 -c /home/dev/workspace");
        asUser.FileName.ShouldBe("tmux");
        asUser.Arguments.ShouldBe(["-N", "-S", "/srv/s/tmux/default", "attach-session", "-f", "read-only,ignore-size", "-t", "=main"]);
        asUser.Environment.Keys.Order().ShouldBe(["LANG", "PATH", "TERM"]);
    }
}
