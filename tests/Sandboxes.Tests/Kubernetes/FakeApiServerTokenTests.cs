using RemoltBlazor.TestSupport.Kubernetes;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>Further tokens, their revocation, and the service-account folder a pod in the cluster reads, checked with kubectl.</summary>
public sealed class FakeApiServerTokenTests : FakeApiServerTestBase
{
    [Fact]
    public async Task An_issued_token_works_until_it_is_revoked()
    {
        var token = Server.IssueToken();
        token.ShouldNotBe(Server.Token);
        var kubeconfig = Cli.WriteFile("issued.kubeconfig", Server.Kubeconfig(token));
        var allowed = await Cli.RunAsync(TimeSpan.FromSeconds(20), kubeconfig, "get", "pods");
        allowed.ExitCode.ShouldBe(0, allowed.ToString());

        Server.RevokeToken(token);
        var refused = await Cli.RunAsync(TimeSpan.FromSeconds(20), kubeconfig, "get", "pods");
        refused.ExitCode.ShouldNotBe(0);
        refused.Error.ShouldContain("You must be logged in to the server", Case.Sensitive, refused.ToString());
        (await Cli.RunAsync("get", "pods")).ExitCode.ShouldBe(0, "the server's own token still works");
    }

    [Fact]
    public async Task The_service_account_folder_holds_a_token_the_ca_and_the_namespace_kubectl_can_use()
    {
        var folder = Directory.CreateTempSubdirectory("remolt-sa-").FullName;
        try
        {
            var token = Server.WriteServiceAccountFolder(folder);
            (await File.ReadAllTextAsync(Path.Combine(folder, "token"))).ShouldBe(token);
            var ns = await File.ReadAllTextAsync(Path.Combine(folder, "namespace"));
            ns.ShouldBe(FakeApiServer.Namespace);

            // The flags override the kubeconfig's cluster and user: only the folder's files authenticate this call.
            var empty = Cli.WriteFile("empty.kubeconfig", "apiVersion: v1\nkind: Config\n");
            var listed = await Cli.RunAsync(TimeSpan.FromSeconds(20), empty,
                "--server=" + Server.Url, "--certificate-authority=" + Path.Combine(folder, "ca.crt"), "--token=" + token, "--namespace=" + ns, "get", "pods");
            listed.ExitCode.ShouldBe(0, listed.ToString());

            var rotated = Server.WriteServiceAccountFolder(folder);
            Server.RevokeToken(token);
            (await File.ReadAllTextAsync(Path.Combine(folder, "token"))).ShouldBe(rotated);
            var stale = await Cli.RunAsync(TimeSpan.FromSeconds(20), empty,
                "--server=" + Server.Url, "--certificate-authority=" + Path.Combine(folder, "ca.crt"), "--token=" + token, "get", "pods");
            stale.ExitCode.ShouldNotBe(0, stale.ToString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
