using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RemoltBlazor.Data.Backup;

/// <summary>
/// <c>backup FILE</c> (while the server runs or not) and <c>restore FILE [--adopt-instance]</c> (with the server
/// stopped) on the app's command line, run instead of the server, on the data folder of <c>REMOLT_DATA_DIR</c>.
/// A refusal prints why and exits with 1, having changed nothing.
/// </summary>
public static class BackupCommand
{
    public const string BackupVerb = "backup";
    public const string RestoreVerb = "restore";
    public const string AdoptInstanceFlag = "--adopt-instance";

    private const string Usage =
        "usage: RemoltBlazor.Web backup FILE                       (safe while the server runs)\n" +
        "       RemoltBlazor.Web restore FILE [--adopt-instance]   (with the server stopped; same REMOLT_DATA_DIR)";

    /// <summary>False when <paramref name="args"/> are not a backup or restore command (the server then starts as usual).</summary>
    public static async Task<bool> TryRunBackupCommandAsync(this IServiceProvider services, string[] args, TextWriter output)
    {
        if (args.Length == 0 || args[0] is not (BackupVerb or RestoreVerb))
        {
            return false;
        }

        try
        {
            switch (args)
            {
                case [BackupVerb, var file]:
                    await BackupAsync(services, file, output);
                    break;
                case [RestoreVerb, var file]:
                    await RestoreAsync(services, file, adoptInstance: false, output);
                    break;
                case [RestoreVerb, var file, AdoptInstanceFlag]:
                    await RestoreAsync(services, file, adoptInstance: true, output);
                    break;
                default:
                    await output.WriteLineAsync(Usage);
                    Environment.ExitCode = 2;
                    break;
            }
        }
        catch (DatabaseRefusedException ex)
        {
            await output.WriteLineAsync($"{args[0]} refused: {ex.Message}");
            Environment.ExitCode = 1;
        }

        return true;
    }

    private static async Task BackupAsync(IServiceProvider services, string file, TextWriter output)
    {
        // Before the service is built: its key ring and instance id would create their files in a wrong folder.
        BackupService.EnsureDatabase(services.GetRequiredService<IOptions<DataOptions>>().Value);
        var manifest = await services.GetRequiredService<BackupService>().WriteFileAsync(file, CancellationToken.None);
        await output.WriteLineAsync(
            $"Backup written to {Path.GetFullPath(file)} (schema {manifest.Schema}, instance {manifest.InstanceId}). " +
            "It holds the master keys: keep it as private as the data folder.");
    }

    private static async Task RestoreAsync(IServiceProvider services, string file, bool adoptInstance, TextWriter output)
    {
        var result = await services.GetRequiredService<RestoreService>().RestoreAsync(file, adoptInstance, CancellationToken.None);
        var manifest = result.Manifest;
        await output.WriteLineAsync(
            $"Restored {Path.GetFullPath(file)} (taken {manifest.CreatedAt:u} by instance {manifest.InstanceId}, RemoltBlazor {manifest.AppVersion}, schema {manifest.Schema}) into {result.Database}.");
        await output.WriteLineAsync(result.KeptDatabase is null ? "There was no previous database." : $"The previous database is kept as {result.KeptDatabase}.");
        if (result.KeptKeys is not null)
        {
            await output.WriteLineAsync($"The previous master keys are kept as {result.KeptKeys}.");
        }

        await output.WriteLineAsync(result.AdoptedInstance
            ? $"This server now is instance {manifest.InstanceId}: on start it re-adopts that instance's running sandboxes. Never run it while the original server runs."
            : "This server keeps its own instance id: the backup's sessions whose sandboxes belong to another server end as 'lost' on start, and their sandboxes are left alone.");
    }
}
