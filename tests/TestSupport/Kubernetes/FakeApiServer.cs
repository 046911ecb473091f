using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// An in-process Kubernetes API server for tests: Kestrel over https on a loopback port with a CA generated for the
/// run, bearer tokens it insists on (401 otherwise), and a kubeconfig that points kubectl or a client library at it.
/// Its pods run as <see cref="FakeApiServerOptions.Pods"/> says (on this host, as Docker containers, or not at all).
/// Its fidelity is checked with the real kubectl (Sandboxes.Tests, Kubernetes/FakeApiServer*Tests).
/// </summary>
public sealed class FakeApiServer : IAsyncDisposable
{
    /// <summary>The namespace of the kubeconfig's context; it exists from the start, labelled to enforce Pod Security "restricted".</summary>
    public const string Namespace = "remolt";

    private readonly WebApplication _app;
    private readonly IFakePodBackend _pods;
    private readonly string _folder;
    private readonly ConcurrentDictionary<string, bool> _tokens;

    private FakeApiServer(
        WebApplication app, IFakePodBackend pods, FakeResourceStore store, FakeCertificates certificates, ConcurrentDictionary<string, bool> tokens, string token, Uri url, string folder)
    {
        _tokens = tokens;
        _app = app;
        _pods = pods;
        Store = store;
        Certificates = certificates;
        Token = token;
        Url = url;
        _folder = folder;
        KubeconfigPath = Path.Combine(folder, "kubeconfig");
    }

    public FakeResourceStore Store { get; }

    public FakeCertificates Certificates { get; }

    public string Token { get; }

    /// <summary>The server's base URL, <c>https://127.0.0.1:{port}</c>.</summary>
    public Uri Url { get; }

    /// <summary>A kubeconfig (current context on <see cref="Namespace"/>, the CA inline, the bearer token), written at start.</summary>
    public string KubeconfigPath { get; }

    /// <summary>Starts a server whose pods are <see cref="FakePodBackend.Local"/>.</summary>
    public static Task<FakeApiServer> StartAsync() => StartAsync(new FakeApiServerOptions());

    public static async Task<FakeApiServer> StartAsync(FakeApiServerOptions options)
    {
        var serverId = Guid.NewGuid().ToString("N");
        var certificates = FakeCertificates.Create();
        var token = NewToken();
        var tokens = new ConcurrentDictionary<string, bool> { [token] = true };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificates.Server)));
        var app = builder.Build();
        var store = new FakeResourceStore();
        foreach (var (name, enforce) in new[] { (Namespace, "restricted"), ("default", null), ("kube-system", null), ("kube-public", null) })
        {
            var labels = enforce is null ? new JsonObject() : new JsonObject { [FakePodSecurity.EnforceLabel] = enforce };
            store.Create(FakeResourceKind.Namespaces, "", new JsonObject { ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels } });
        }

        var scheduler = new FakeScheduler(store, options.NodeCapacity);
        IFakePodBackend pods = options.Pods switch
        {
            FakePodBackend.Docker => new FakeDockerPods(store, await FakeDockerEngine.StartAsync(options.DockerSocket, serverId), scheduler),
            FakePodBackend.Manual => new FakeLocalPods(store, scheduler: null),
            _ => new FakeLocalPods(store, scheduler),
        };
        app.Use((http, next) => RequireTokenAsync(http, next, tokens));
        app.Use(FakeApiEndpoints.HandleErrorsAsync);
        app.UseWebSockets();
        app.UseRouting();
        FakeApiEndpoints.Map(app, store, pods, options.WatchBookmarkInterval);
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var folder = Path.Combine(Path.GetTempPath(), "remolt-fake-k8s", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var server = new FakeApiServer(app, pods, store, certificates, tokens, token, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)), folder);
        await File.WriteAllTextAsync(server.KubeconfigPath, server.Kubeconfig());
        return server;
    }

    /// <summary>The kubeconfig text, with <paramref name="token"/> (the server's own when null; another one is refused).</summary>
    public string Kubeconfig(string? token = null)
    {
        var ca = Convert.ToBase64String(Encoding.ASCII.GetBytes(Certificates.AuthorityPem));
        return $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: {Url.ToString().TrimEnd('/')}
                certificate-authority-data: {ca}
            users:
            - name: fake
              user:
                token: {token ?? Token}
            contexts:
            - name: fake
              context:
                cluster: fake
                user: fake
                namespace: {Namespace}
            current-context: fake

            """;
    }

    /// <summary>A further bearer token the server accepts (until <see cref="RevokeToken"/>), like a second service account's.</summary>
    public string IssueToken()
    {
        var token = NewToken();
        _tokens[token] = true;
        return token;
    }

    /// <summary>Refuses <paramref name="token"/> from now on (401), as a cluster does once a projected token has expired.</summary>
    public void RevokeToken(string token) => _tokens.TryRemove(token, out _);

    /// <summary>
    /// Writes what a kubelet projects into <c>/var/run/secrets/kubernetes.io/serviceaccount</c>: <c>token</c> (a newly
    /// issued one, returned; write again to rotate it), <c>ca.crt</c> and <c>namespace</c> (<see cref="Namespace"/>).
    /// </summary>
    public string WriteServiceAccountFolder(string folder)
    {
        Directory.CreateDirectory(folder);
        var token = IssueToken();
        File.WriteAllText(Path.Combine(folder, "token"), token);
        File.WriteAllText(Path.Combine(folder, "ca.crt"), Certificates.AuthorityPem);
        File.WriteAllText(Path.Combine(folder, "namespace"), Namespace);
        return token;
    }

    /// <summary>
    /// Appends <paramref name="text"/> to the log of a pod that has no container (<see cref="FakePodBackend.Local"/>
    /// or <see cref="FakePodBackend.Manual"/>): what <c>pods/{name}/log</c> then shows. A Docker pod's log is its container's.
    /// </summary>
    public void AppendPodLog(string podName, string text, string ns = Namespace) =>
        (_pods as FakeLocalPods ?? throw new InvalidOperationException("A Docker-backed pod's log is what its container writes.")).AppendLog(ns, podName, text);

    /// <summary>An HttpClient that trusts only the fake's CA, with or without the bearer token.</summary>
    public HttpClient CreateHttpClient(bool withToken)
    {
#pragma warning disable CA5399 // The callback checks the chain against the test CA; revocation does not apply to it.
        var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, certificate, _, _) => Certificates.Trusts(certificate) };
#pragma warning restore CA5399
        var client = new HttpClient(handler) { BaseAddress = Url };
        if (withToken)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        }

        return client;
    }

    private static string NewToken() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _pods.DisposeAsync();
        Certificates.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the folder is under the temp directory.
        }
    }

    // /version is public on a real cluster too (system:public-info-viewer); the kubectl dispatcher reads it to pick a binary.
    private static Task RequireTokenAsync(HttpContext http, RequestDelegate next, ConcurrentDictionary<string, bool> tokens) =>
        http.Request.Headers.Authorization.ToString() is var header && header.StartsWith("Bearer ", StringComparison.Ordinal) && tokens.ContainsKey(header["Bearer ".Length..])
            || http.Request.Path == "/version"
            ? next(http)
            : FakeApiEndpoints.WriteStatusAsync(http, new FakeApiException(401, "Unauthorized", "Unauthorized"));
}
