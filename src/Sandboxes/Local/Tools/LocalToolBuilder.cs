using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Images;

namespace RemoltBlazor.Sandboxes.Local.Tools;

/// <summary>
/// The local runtime's answer to "is this agent's sandbox ready?": it is when the agent has no install step or its
/// tool folder for the current install (<see cref="LocalToolFolders"/>) is complete; else the install runs once
/// (<see cref="LocalToolInstall"/>) into a folder of the work area that is renamed into place only when it succeeded,
/// so a failed or cancelled install leaves nothing that a session could bind. Single-flight per agent comes from
/// <see cref="SandboxImages"/>; installs get no session settings or secrets.
/// </summary>
/// <param name="runtime">The local runtime, asked for only when an install runs (every runtime's builders are made when images are first asked about).</param>
internal sealed partial class LocalToolBuilder(
    LocalToolFolders folders,
    Func<LocalRuntime> runtime,
    IOptions<LocalOptions> options,
    IOptions<SandboxImageOptions> imageOptions,
    ILogger<LocalToolBuilder> logger) : ISandboxImageBuilder
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    // The sandbox uid passes through to the folders it binds, without listing them.
    private const UnixFileMode Searchable = Private | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private const UnixFileMode Readable = Searchable | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public string RuntimeName => "local";

    public Task<SandboxImagePlan?> PlanAsync(AgentDefinition agent, string image, CancellationToken cancellationToken)
    {
        if (folders.InstallFor(agent) is not { } install || LocalToolFolders.IsComplete(folders.FolderFor(install)))
        {
            return Task.FromResult<SandboxImagePlan?>(null);
        }

        return Task.FromResult<SandboxImagePlan?>(new SandboxImagePlan(image, agent.Id, 2,
            $"Installing agent {agent.Id} into the shared tool folder {install.FolderName} (once; later sessions reuse it)")
        {
            Details = install,
        });
    }

    public async Task BuildAsync(SandboxImagePlan plan, IImageBuildReporter reporter, CancellationToken cancellationToken)
    {
        var install = plan.Details as LocalAgentInstall ?? throw new ArgumentException("Not a local tool install plan.", nameof(plan));
        var final = folders.FolderFor(install);
        reporter.BeginStep(0, $"install {install.AgentId}");
        if (LocalToolFolders.IsComplete(final))
        {
            reporter.BeginStep(1, "finish");
            return;
        }

        var sandboxes = runtime().Sandboxes;
        sandboxes.EnsureLib();
        var work = PrepareWork(install);
        LogInstalling(logger, install.AgentId, install.Source, final);
        try
        {
            if (!work.TryCreate(sandboxes.HostUid, sandboxes.IsRoot, LocalSandboxes.Passwd(), LocalSandboxes.Group(), LocalLib.Profile()))
            {
                throw new ImageBuildException($"The work folder {work.Path} of agent {install.AgentId}'s install exists already.", $"install {install.AgentId}");
            }

            var tools = Path.Combine(work.Path, "tools");
            Directory.CreateDirectory(tools);
            LocalNative.Chmod(tools, Readable);
            if (sandboxes.ChownTo is { } uid)
            {
                LocalNative.Chown(tools, uid, uid);
            }

            await LocalToolInstall.RunAsync(sandboxes, options.Value, work, tools, install, imageOptions.Value.ExtraCaFile, reporter, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            reporter.BeginStep(1, "finish");
            Finish(tools, final, install);
            LogInstalled(logger, install.AgentId, final);
        }
        finally
        {
            LocalToolFiles.DeleteTree(work.Path);
        }
    }

    /// <summary>The install's own work folder, after removing what an install of the same version left (a server that died mid-install).</summary>
    private LocalSandboxFolder PrepareWork(LocalAgentInstall install)
    {
        var parent = Path.Combine(folders.WorkRoot, install.FolderName);
        foreach (var folder in new[] { folders.Root, folders.WorkRoot, parent })
        {
            Directory.CreateDirectory(folder);
            LocalNative.Chmod(folder, Searchable);
        }

        // One install per agent at a time on this server (SandboxImages' single flight): whatever is here is left over.
        foreach (var leftover in Directory.EnumerateDirectories(parent))
        {
            LocalToolFiles.DeleteTree(leftover);
        }

        return LocalSandboxFolder.For(parent, $"{LocalSandboxFolder.Prefix}install-{RandomNumberGenerator.GetHexString(8, lowercase: true)}")!;
    }

    /// <summary>Marks the new folder complete (last) and renames it into place, replacing an incomplete one.</summary>
    private static void Finish(string tools, string final, LocalAgentInstall install)
    {
        // The install owned this folder: a symlink it planted at the marker's name is removed, never written through.
        var marker = Path.Combine(tools, LocalToolFolders.Marker);
        File.Delete(marker);
        using (var stream = new FileStream(marker, FileMode.CreateNew, FileAccess.Write))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write($"{install.AgentId} {install.Hash}\n");
        }

        if (Directory.Exists(final))
        {
            if (LocalToolFolders.IsComplete(final))
            {
                return; // Another server on the same data folder finished first; the work folder goes.
            }

            LocalToolFiles.DeleteTree(final);
        }

        Directory.Move(tools, final);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Installing agent {Agent} ({Source}) into {Folder}")]
    private static partial void LogInstalling(ILogger logger, string agent, string source, string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Installed agent {Agent} into {Folder}")]
    private static partial void LogInstalled(ILogger logger, string agent, string folder);
}
