using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RemoltBlazor.Web.Tests.Hosting;

/// <summary>
/// The app as a real, separate process (the built RemoltBlazor.Web.dll), so a test can kill it with SIGKILL and
/// start it again on the same data folder, as a crash and a restart would. Disposing stops it the way a service
/// manager does (SIGTERM), so its shutdown code runs and its warm pool is removed.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    // The host's own shutdown timeout (30 s) plus the runtime's exit.
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(45);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<AppProcess> StartAsync(string dataDirectory, IDictionary<string, string>? settings = null)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}/");
        var dll = Path.Combine(AppContext.BaseDirectory, "RemoltBlazor.Web.dll");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/');
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["REMOLT_DATA_DIR"] = dataDirectory;
        start.Environment["REMOLT_MAX_USER_SESSIONS"] = "10";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // A free port for the apps origin too: the default (the app's port + 1) may be taken by anything on the machine.
        start.Environment["REMOLT_APPS_PORT"] = FreePort().ToString(CultureInfo.InvariantCulture);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            // "{port}" is the port chosen here, e.g. ASPNETCORE_URLS=http://0.0.0.0:{port} to listen on every interface.
            start.Environment[key] = value.Replace("{port}", address.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var app = new AppProcess(process, address);
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await app.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        return app;
    }

    /// <summary>
    /// Runs the app to its end, as a maintenance command (<c>secrets rotate</c>) or a start that must fail, and returns
    /// its exit code with everything it printed (stdout, then stderr).
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(
        string dataDirectory, IDictionary<string, string>? settings = null, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "RemoltBlazor.Web.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["REMOLT_DATA_DIR"] = dataDirectory;
        start.Environment["REMOLT_EVENTS_STDOUT"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("the app did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>SIGTERM, as <c>docker stop</c> or systemd send it: the app's hosted services stop, then it exits.</summary>
    public async Task StopAsync()
    {
        using (var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])) ?? throw new InvalidOperationException("kill did not start"))
        {
            await term.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        try
        {
            await _process.WaitForExitAsync().WaitAsync(s_stopTimeout);
        }
        catch (TimeoutException)
        {
            await KillAsync();
            throw new TimeoutException($"The app did not stop within {s_stopTimeout} of SIGTERM:\n{Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await StopAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync("health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The app did not answer /health within {timeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
