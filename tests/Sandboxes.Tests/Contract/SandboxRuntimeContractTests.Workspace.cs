using System.Text;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Tests.Contract;

/// <summary>The workspace folder: commands and terminals must not depend on it existing.</summary>
public abstract partial class SandboxRuntimeContractTests<THost>
{
    /// <summary>
    /// A user (or an agent re-cloning) deletes <c>~/workspace</c>, the image's WORKDIR: terminals and commands must still
    /// start (Docker fails an exec whose working folder is missing), in home until the folder is back. A sandbox of its
    /// own: the shared one keeps its workspace.
    /// </summary>
    [RuntimeContractFact]
    public async Task WorkspaceDeleted_TerminalsAndCommandsStillStart_NewSessionsUseItOnceBack()
    {
        var sessionId = NewSessionId();
        var sandboxId = (await CreateAsync(Spec(sessionId))).SandboxId;
        (await BashAsync(sandboxId, "rm -rf ~/workspace && echo gone")).ShouldBe("gone\n");

        await using (var terminal = await AttachAsync(sandboxId, window: 1))
        {
            await terminal.SendAsync("echo at-$(pwd)-now\r");
            await terminal.WaitForAsync("at-/home/dev-now");
        }

        await using (var process = await Runtime.StartProcessAsync(sandboxId, ["pwd"], CancellationToken.None).WaitAsync(Timeout))
        {
            Encoding.UTF8.GetString(await ReadAllAsync(process.Output).WaitAsync(Timeout)).ShouldBe("/home/dev\n");
        }

        (await ExecAsync(sandboxId, ["pwd"])).Stdout.ShouldBe("/home/dev\n"u8.ToArray());
        await BashAsync(sandboxId, "mkdir ~/workspace");
        await using (var again = await AttachAsync(sandboxId, window: 2))
        {
            await again.SendAsync("echo at-$(pwd)-now\r");
            await again.WaitForAsync("at-/home/dev/workspace-now");
        }

        await Runtime.RemoveAsync(sandboxId, CancellationToken.None).WaitAsync(Timeout);
    }
}
