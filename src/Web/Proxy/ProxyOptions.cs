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

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
