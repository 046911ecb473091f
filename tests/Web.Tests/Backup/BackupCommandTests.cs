using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Backup;

/// <summary>The <c>backup</c> and <c>restore</c> verbs' refusals as an operator sees them: a reason, an exit code, no change.</summary>
public sealed class BackupCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "remolt-backup-tests", Guid.NewGuid().ToString("N"));

    public BackupCommandTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => TestDataFolder.Delete(_folder);

    [Fact]
    public async Task Backup_NoDatabase_Exit1WithTheReason_AndCreatesNothing()
    {
        var (exitCode, output) = await AppCommand.RunAsync(_folder, "backup", Path.Combine(_folder, "b.tar.gz"));

        exitCode.ShouldBe(1);
        output.ShouldContain($"backup refused: There is no database at {Path.Combine(_folder, "remolt.db")}");
        Directory.GetFileSystemEntries(_folder).ShouldBeEmpty();
    }

    [Fact]
    public async Task Restore_NotAnArchive_Exit1WithTheReason_AndCreatesNothing()
    {
        var archive = Path.Combine(Path.GetTempPath(), "remolt-backup-tests", $"{Guid.NewGuid():N}.tar.gz");
        await File.WriteAllTextAsync(archive, "not gzip");
        try
        {
            var (exitCode, output) = await AppCommand.RunAsync(_folder, "restore", archive, "--adopt-instance");

            exitCode.ShouldBe(1);
            output.ShouldContain($"restore refused: {archive} is not a readable RemoltBlazor backup");
            Directory.GetFileSystemEntries(_folder).ShouldBeEmpty();
        }
        finally
        {
            File.Delete(archive);
        }
    }

    [Theory]
    [InlineData("backup")]
    [InlineData("restore", "a.tar.gz", "--adopt")]
    public async Task Verb_WrongArguments_PrintsUsageAndExits2(params string[] args)
    {
        var (exitCode, output) = await AppCommand.RunAsync(_folder, args);

        exitCode.ShouldBe(2);
        output.ShouldContain("usage: RemoltBlazor.Web backup FILE");
        output.ShouldContain("RemoltBlazor.Web restore FILE [--adopt-instance]");
    }
}
