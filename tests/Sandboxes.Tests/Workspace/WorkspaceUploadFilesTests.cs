using System.Diagnostics;
using RemoltBlazor.Sandboxes.Workspace;

namespace RemoltBlazor.Sandboxes.Tests.Workspace;

/// <summary>Upload staging files: private from the first byte, gone on close, and a crashed server's cleaned at start.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class WorkspaceUploadFilesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("remolt-upload-files-").FullName;

    [Fact]
    public async Task Create_ModeIs0600WhileOpen_AndTheFileIsGoneOnClose()
    {
        string path;
        await using (var file = WorkspaceUploadFiles.Create(4096))
        {
            path = file.Name;
            await file.WriteAsync("secret source"u8.ToArray());
            await file.FlushAsync();

            File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Path.GetFileName(path).ShouldStartWith($"{WorkspaceUploadFiles.Prefix}{Environment.ProcessId}-");
        }

        File.Exists(path).ShouldBeFalse();
    }

    [Fact]
    public async Task DeleteStale_DeadProcessesAndOldUnnamedFiles_GoLiveProcessesAndFreshOnesStay()
    {
        var deadPid = await DeadProcessIdAsync();
        var dead = Touch($"{WorkspaceUploadFiles.Prefix}{deadPid}-{Guid.NewGuid():N}.tar.gz");
        var ours = Touch($"{WorkspaceUploadFiles.Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}.tar.gz");
        var live = Touch($"{WorkspaceUploadFiles.Prefix}1-{Guid.NewGuid():N}.tar.gz");
        var oldUnnamed = Touch($"{WorkspaceUploadFiles.Prefix}{Guid.NewGuid():N}.tar.gz");
        File.SetLastWriteTimeUtc(oldUnnamed, DateTime.UtcNow.AddHours(-2));
        var freshUnnamed = Touch($"{WorkspaceUploadFiles.Prefix}{Guid.NewGuid():N}.tar.gz");
        var unrelated = Touch($"other-{deadPid}-x.tar.gz");

        var deleted = WorkspaceUploadFiles.DeleteStale(_folder, TimeProvider.System);

        deleted.ShouldBe(2);
        File.Exists(dead).ShouldBeFalse();
        File.Exists(oldUnnamed).ShouldBeFalse();
        File.Exists(ours).ShouldBeTrue();
        File.Exists(live).ShouldBeTrue();
        File.Exists(freshUnnamed).ShouldBeTrue();
        File.Exists(unrelated).ShouldBeTrue();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Touch(string name)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, "x");
        return path;
    }

    private static async Task<int> DeadProcessIdAsync()
    {
        using var process = Process.Start("true") ?? throw new InvalidOperationException("true did not start");
        await process.WaitForExitAsync();
        return process.Id;
    }
}
