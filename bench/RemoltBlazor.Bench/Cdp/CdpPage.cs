using System.Text.Json;

namespace RemoltBlazor.Bench.Cdp;

/// <summary>
/// One page in its own browser context (fresh cookies and storage, so a fresh Blazor circuit), driven through a flat
/// DevTools session with only the Page, Runtime, Log and (on demand) Performance domains: what a page needs to be
/// navigated, evaluated in and watched for errors, and no per-frame network instrumentation.
/// </summary>
internal sealed class CdpPage : IAsyncDisposable
{
    private readonly CdpConnection _connection;
    private readonly string _contextId;
    private readonly string _sessionId;
    private TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CdpPage(CdpConnection connection, string contextId, string sessionId)
    {
        _connection = connection;
        _contextId = contextId;
        _sessionId = sessionId;
        _connection.EventReceived += OnEvent;
    }

    /// <summary>Console errors and warnings, uncaught exceptions and failed loads (Log domain), as text.</summary>
    public List<string> Problems { get; } = [];

    public static async Task<CdpPage> CreateAsync(CdpConnection connection, int width, int height)
    {
        var context = await connection.SendAsync("Target.createBrowserContext", new { disposeOnDetach = true });
        var contextId = context.GetProperty("browserContextId").GetString()!;
        var target = await connection.SendAsync("Target.createTarget", new { url = "about:blank", browserContextId = contextId });
        var attached = await connection.SendAsync("Target.attachToTarget", new { targetId = target.GetProperty("targetId").GetString(), flatten = true });
        var page = new CdpPage(connection, contextId, attached.GetProperty("sessionId").GetString()!);
        await page.SendAsync("Page.enable");
        await page.SendAsync("Runtime.enable");
        await page.SendAsync("Log.enable");
        await page.SendAsync("Emulation.setDeviceMetricsOverride", new { width, height, deviceScaleFactor = 1, mobile = false });
        return page;
    }

    public Task<JsonElement> SendAsync(string method, object? parameters = null) => _connection.SendAsync(method, parameters, _sessionId);

    /// <summary>Navigates and waits for the load event.</summary>
    public async Task NavigateAsync(string url, TimeSpan timeout)
    {
        _loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var result = await SendAsync("Page.navigate", new { url });
        if (result.TryGetProperty("errorText", out var error))
        {
            throw new InvalidOperationException($"navigation to {url} failed: {error.GetString()}");
        }

        await _loaded.Task.WaitAsync(timeout);
    }

    /// <summary>
    /// Calls <paramref name="function"/> (JavaScript source of a function, possibly async) with <paramref name="argument"/>
    /// serialized as JSON, awaits its promise and returns its value.
    /// </summary>
    public async Task<JsonElement> EvaluateAsync(string function, object? argument = null, TimeSpan? timeout = null)
    {
        var expression = $"({function})({JsonSerializer.Serialize(argument)})";
        var result = await _connection.SendAsync("Runtime.evaluate",
            new { expression, awaitPromise = true, returnByValue = true }, _sessionId, timeout ?? TimeSpan.FromMinutes(3));
        if (result.TryGetProperty("exceptionDetails", out var details))
        {
            throw new CdpException("page script failed: " + Describe(details));
        }

        return result.GetProperty("result").TryGetProperty("value", out var value) ? value : default;
    }

    /// <summary>Polls <paramref name="predicate"/> (JavaScript function source) in the page until it returns true.</summary>
    public Task WaitForAsync(string predicate, TimeSpan timeout, int pollMs = 50) => EvaluateAsync($$"""
        async () => {
          const t = performance.now();
          while (!({{predicate}})()) {
            if (performance.now() - t > {{(int)timeout.TotalMilliseconds}}) throw new Error('condition not met within {{(int)timeout.TotalMilliseconds}} ms: ' + {{JsonSerializer.Serialize(predicate)}});
            await new Promise(r => setTimeout(r, {{pollMs}}));
          }
        }
        """, null, timeout + TimeSpan.FromSeconds(10));

    private void OnEvent(string method, JsonElement parameters, string? sessionId)
    {
        if (sessionId != _sessionId)
        {
            return;
        }

        string? problem = method switch
        {
            "Page.loadEventFired" => Loaded(),
            "Runtime.consoleAPICalled" when parameters.GetProperty("type").GetString() is "error" or "warning" =>
                string.Join(' ', parameters.GetProperty("args").EnumerateArray().Select(a =>
                    a.TryGetProperty("value", out var v) ? v.ToString() : a.TryGetProperty("description", out var d) ? d.GetString() : "?")),
            "Runtime.exceptionThrown" => Describe(parameters.GetProperty("exceptionDetails")),
            "Log.entryAdded" when parameters.GetProperty("entry").GetProperty("level").GetString() is "error" or "warning" =>
                parameters.GetProperty("entry").GetProperty("text").GetString(),
            _ => null,
        };
        if (problem is not null)
        {
            lock (Problems)
            {
                Problems.Add(problem);
            }
        }
    }

    private string? Loaded()
    {
        _loaded.TrySetResult();
        return null;
    }

    private static string Describe(JsonElement details) =>
        details.TryGetProperty("exception", out var exception) && exception.TryGetProperty("description", out var description)
            ? description.GetString() ?? "?"
            : details.GetProperty("text").GetString() ?? "?";

    public async ValueTask DisposeAsync()
    {
        _connection.EventReceived -= OnEvent;
        await _connection.SendAsync("Target.disposeBrowserContext", new { browserContextId = _contextId });
    }
}
