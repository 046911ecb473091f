using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RemoltBlazor.Data.Keys;

/// <summary>
/// <c>secrets rotate</c> on the app's command line: migrates the database, rotates the master key (see
/// <see cref="SecretRotation"/>) and exits instead of starting the server. Run it while the server is stopped.
/// </summary>
public static class SecretsCommand
{
    public const string Verb = "secrets";

    /// <summary>False when <paramref name="args"/> are not a secrets command (the server then starts as usual).</summary>
    public static async Task<bool> TryRunAsync(this IServiceProvider services, string[] args, TextWriter output)
    {
        if (args.Length == 0 || args[0] != Verb)
        {
            return false;
        }

        if (args is not [_, "rotate"])
        {
            await output.WriteLineAsync("usage: RemoltBlazor.Web secrets rotate   (with the server stopped; same REMOLT_DATA_DIR)");
            Environment.ExitCode = 2;
            return true;
        }

        await DatabaseMigrator.MigrateAsync(
            services.GetRequiredService<IDbContextFactory<RemoltDbContext>>(), services.GetRequiredService<IOptions<DataOptions>>().Value, CancellationToken.None);

        var result = await services.GetRequiredService<SecretRotation>().RotateAsync(CancellationToken.None);
        await output.WriteLineAsync($"New master key {result.CurrentKeyId}; retired {string.Join(", ", result.RetiredKeyIds)}.");
        foreach (var set in result.Sets)
        {
            await output.WriteLineAsync($"  {set.Name}: {set.Resealed} re-sealed, {set.Unreadable} unreadable (left as they were)");
        }

        return true;
    }
}
