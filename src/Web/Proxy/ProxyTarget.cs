using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Web.Proxy;

/// <summary>Which proxy a request came through; each has its own header policy.</summary>
internal enum ProxyKind
{
    /// <summary><c>/proxy/{id}/</c>: the agent's web UI (agent.json <c>ports[0]</c>), shown in the app's iframe.</summary>
    Dashboard,

    /// <summary><c>/vscode/{id}/</c>: code-server on 18080, shown in the app's iframe.</summary>
    VsCode,

    /// <summary><c>/proxy/{id}/port/{port}/</c>: any program of the user's, isolated by a sandbox CSP.</summary>
    Preview,
}

/// <summary>Where one proxied request goes, after every access check passed.</summary>
/// <param name="Prefix">The app path the upstream's root is mounted at, ending with '/'.</param>
/// <param name="AuthToken">Dashboard only: agent.json's <c>ports[0].auth_token</c>, injected into the connect frame.</param>
internal sealed record ProxyTarget(Session Session, string SandboxId, int Port, ProxyKind Kind, string Prefix, string? AuthToken);

/// <summary>Why a proxied request is refused: an HTTP status (REST shape) and the socket close code the terminal uses.</summary>
internal sealed record ProxyRefusal(int Status, int CloseCode, string Detail);
