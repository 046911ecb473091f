using RemoltBlazor.TestSupport.Kubernetes;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>Further tokens, their revocation, and the service-account folder a pod in the cluster reads, checked with kubectl.</summary>
public sealed class FakeApiServerTokenTests : IAsyncLifetime
{
    private FakeApiServer _server = null!;
    private Kubectl _kubectl = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _kubectl = new Kubectl(_server);
    }

    public async Task DisposeAsync()
    {
        _kubectl.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task An_issued_token_works_until_it_is_revoked()
    {
        var token = _server.IssueToken();
        token.ShouldNotBe(_server.Token);
        var kubeconfig = _kubectl.WriteFile("issued.kubeconfig", _server.Kubeconfig(token));
        var allowed = await _kubectl.RunAsync(TimeSpan.FromSeconds(20), kubeconfig, "get", "pods");
        allowed.ExitCode.ShouldBe(0, allowed.ToString());

        _server.RevokeToken(token);
        var refused = await _kubectl.RunAsync(TimeSpan.FromSeconds(20), kubeconfig, "get", "pods");
        refused.ExitCode.ShouldNotBe(0);
        refused.Error.ShouldContain("You must be logged in to the server", Case.Sensitive, refused.ToString());
        (await _kubectl.RunAsync("get", "pods")).ExitCode.ShouldBe(0, "the server's own token still works");
    }

    [Fact]
    public async Task The_service_account_folder_holds_a_token_the_ca_and_the_namespace_kubectl_can_use()
    {
        var folder = Directory.CreateTempSubdirectory("remolt-sa-").FullName;
        try
        {
            var token = _server.WriteServiceAccountFolder(folder);
            (await File.ReadAllTextAsync(Path.Combine(folder, "token"))).ShouldBe(token);
            var ns = await File.ReadAllTextAsync(Path.Combine(folder, "namespace"));
            ns.ShouldBe(FakeApiServer.Namespace);

            // The flags override the kubeconfig's cluster and user: only the folder's files authenticate this call.
            var empty = _kubectl.WriteFile("empty.kubeconfig", "apiVersion: v1\nkind: Config\n");
            var listed = await _kubectl.RunAsync(TimeSpan.FromSeconds(20), empty,
                "--server=" + _server.Url, "--certificate-authority=" + Path.Combine(folder, "ca.crt"), "--token=" + token, "--namespace=" + ns, "get", "pods");
            listed.ExitCode.ShouldBe(0, listed.ToString());

            var rotated = _server.WriteServiceAccountFolder(folder);
            _server.RevokeToken(token);
            (await File.ReadAllTextAsync(Path.Combine(folder, "token"))).ShouldBe(rotated);
            var stale = await _kubectl.RunAsync(TimeSpan.FromSeconds(20), empty,
                "--server=" + _server.Url, "--certificate-authority=" + Path.Combine(folder, "ca.crt"), "--token=" + token, "get", "pods");
            stale.ExitCode.ShouldNotBe(0, stale.ToString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
