using Microsoft.Extensions.Options;

namespace RemoltBlazor.Web.Proxy;

/// <summary>Settings of the dashboard, VS Code and port-preview proxies.</summary>
internal sealed class ProxyOptions
{
    public const string DefaultPreviewPorts = "1024-65535";

    /// <summary>
    /// Ports a user's program may be previewed on through <c>/proxy/{id}/port/{port}/</c>. Privileged ports (system
    /// services) are outside the default.
    /// </summary>
    [ConfigurationKeyName("REMOLT_PREVIEW_PORTS")]
    public string PreviewPorts { get; set; } = DefaultPreviewPorts;

    /// <summary>
    /// How long an upstream may take to send its response headers or answer a WebSocket handshake. After that, bodies
    /// may pause and stream for as long as the browser keeps them open, and sockets may stay quiet.
    /// </summary>
    [ConfigurationKeyName("REMOLT_PROXY_HEADERS_TIMEOUT")]
    public int HeadersTimeoutSeconds { get; set; } = 100;

    /// <summary>
    /// Wildcard host sandbox content is served under, one subdomain per session (<c>*.apps.example.com</c> serves
    /// session <c>abc</c> at <c>abc.apps.example.com</c>, like Coder's app proxy). Empty: a second port instead.
    /// </summary>
    [ConfigurationKeyName("REMOLT_APPS_HOST")]
    public string AppsHost { get; set; } = "";

    /// <summary>
    /// Without REMOLT_APPS_HOST: the port Kestrel also listens on for sandbox content, on the same addresses as the
    /// app. Empty: the app's port + 1 (0 when the app's is dynamic). <c>off</c> serves sandbox content on the app's
    /// own origin, as the original did (only for a trusted single user: its pages can then use the app's API).
    /// </summary>
    [ConfigurationKeyName("REMOLT_APPS_PORT")]
    public string AppsPort { get; set; } = "";

    public PortRanges PreviewPortRanges => PortRanges.TryParse(PreviewPorts, out var ranges, out _) ? ranges : throw new OptionsValidationException(
        nameof(ProxyOptions), typeof(ProxyOptions), ["REMOLT_PREVIEW_PORTS is invalid"]);
}

internal sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        var errors = new List<string>();
        if (!PortRanges.TryParse(options.PreviewPorts, out _, out var problems))
        {
            errors.AddRange(problems.Select(p => $"REMOLT_PREVIEW_PORTS: {p}."));
        }

        if (options.HeadersTimeoutSeconds is < 1 or > 86400)
        {
            errors.Add("REMOLT_PROXY_HEADERS_TIMEOUT must be between 1 and 86400 seconds.");
        }

        if (options.AppsHost.Length > 0 && !(options.AppsHost.StartsWith("*.", StringComparison.Ordinal) && options.AppsHost.Length > 2))
        {
            errors.Add("REMOLT_APPS_HOST must be a wildcard host such as *.apps.example.com.");
        }

        if (options.AppsPort.Length > 0 && options.AppsPort != AppsOrigin.Off && !(int.TryParse(options.AppsPort, out var port) && port is >= 0 and <= 65535))
        {
            errors.Add("REMOLT_APPS_PORT must be a port number, empty (the app's port + 1) or off.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
