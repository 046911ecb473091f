using RemoltBlazor.Data;

namespace RemoltBlazor.Web.Hosting;

/// <summary>
/// Runs the server; a database this build must not use (a newer schema, not SQLite, in use by a restore) is an
/// operator's problem, not a crash: its sentence goes to stderr alone, without a stack trace, and the exit code is 1.
/// </summary>
internal static class ServerRun
{
    public static async Task<int> RunRemoltAsync(this WebApplication app)
    {
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (DatabaseRefusedException refused)
        {
            await Console.Error.WriteLineAsync($"RemoltBlazor did not start: {refused.Message}");
            return 1;
        }
    }
}
