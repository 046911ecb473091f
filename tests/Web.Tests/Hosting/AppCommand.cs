namespace RemoltBlazor.Web.Tests.Hosting;

/// <summary>A maintenance verb of the built app (<c>secrets rotate</c>, <c>backup FILE</c>, ...) as an operator runs it.</summary>
internal static class AppCommand
{
    /// <summary>Exit code and stdout + stderr of <c>RemoltBlazor.Web {args}</c> on <paramref name="dataDirectory"/>.</summary>
    public static Task<(int ExitCode, string Output)> RunAsync(string dataDirectory, params string[] args) =>
        AppProcess.RunToExitAsync(dataDirectory, settings: null, args);
}
