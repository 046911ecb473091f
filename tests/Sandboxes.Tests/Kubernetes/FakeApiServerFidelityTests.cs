using System.Net;
using System.Text.Json.Nodes;
using RemoltBlazor.TestSupport.Kubernetes;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>
/// The fake API server driven by the real kubectl: what kubectl accepts from it is what a client library built for a
/// real cluster will accept, so the runtime's own tests against the fake mean something.
/// </summary>
public sealed class FakeApiServerFidelityTests() : FakeApiServerTestBase(new FakeApiServerOptions { Pods = FakePodBackend.Manual })
{
    [Fact]
    public async Task Kubectl_creates_lists_by_label_and_deletes_pods()
    {
        foreach (var (name, app) in new[] { ("web-1", "x"), ("web-2", "x"), ("db-1", "y") })
        {
            var file = Cli.WriteFile(name + ".yaml", Pod(name, app));
            var created = await Cli.RunAsync("create", "-f", file, "--validate=false");
            created.ExitCode.ShouldBe(0, created.ToString());
            created.Output.ShouldContain($"pod/{name} created");
        }

        var listed = await Cli.RunAsync("get", "pods", "-l", "app=x", "-o", "json");
        listed.ExitCode.ShouldBe(0, listed.ToString());
        Names(listed.Output).ShouldBe(["web-1", "web-2"]);

        var others = await Cli.RunAsync("get", "pods", "-l", "app!=x", "-o", "json");
        Names(others.Output).ShouldBe(["db-1"]);

        var deleted = await Cli.RunAsync("delete", "pod", "web-1");
        deleted.ExitCode.ShouldBe(0, deleted.ToString());
        deleted.Output.ShouldContain("pod \"web-1\" deleted");

        var after = await Cli.RunAsync("get", "pods", "-o", "json");
        Names(after.Output).ShouldBe(["db-1", "web-2"]);
        var missing = await Cli.RunAsync("get", "pod", "web-1");
        missing.ExitCode.ShouldNotBe(0);
        missing.Error.ShouldContain("pods \"web-1\" not found");
    }

    [Fact]
    public async Task Kubectl_creates_lists_and_deletes_network_policies_and_claims()
    {
        var file = Cli.WriteFile("objects.yaml", """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: sandboxes
              labels:
                app.kubernetes.io/part-of: remolt
            spec:
              podSelector:
                matchLabels:
                  remolt/sandbox: "true"
              policyTypes: [Ingress, Egress]
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata:
              name: workspace-1
              labels:
                app.kubernetes.io/part-of: remolt
            spec:
              accessModes: [ReadWriteOnce]
              resources:
                requests:
                  storage: 1Gi

            """);
        var created = await Cli.RunAsync("create", "-f", file, "--validate=false");
        created.ExitCode.ShouldBe(0, created.ToString());
        created.Output.ShouldContain("networkpolicy.networking.k8s.io/sandboxes created");
        created.Output.ShouldContain("persistentvolumeclaim/workspace-1 created");

        var policies = await Cli.RunAsync("get", "networkpolicies", "-l", "app.kubernetes.io/part-of=remolt", "-o", "json");
        Names(policies.Output).ShouldBe(["sandboxes"], policies.ToString());
        var claims = await Cli.RunAsync("get", "pvc", "-l", "app.kubernetes.io/part-of=remolt", "-o", "json");
        Names(claims.Output).ShouldBe(["workspace-1"], claims.ToString());

        var deleted = await Cli.RunAsync("delete", "-f", file);
        deleted.ExitCode.ShouldBe(0, deleted.ToString());
        Names((await Cli.RunAsync("get", "netpol", "-o", "json")).Output).ShouldBeEmpty();
        Names((await Cli.RunAsync("get", "pvc", "-o", "json")).Output).ShouldBeEmpty();
    }

    [Fact]
    public async Task Label_and_field_selectors_match_like_the_api_server()
    {
        using var client = Server.CreateHttpClient(withToken: true);
        foreach (var (name, labels) in new[] { ("a", "{\"app\":\"x\",\"tier\":\"web\"}"), ("b", "{\"app\":\"y\"}"), ("c", "{\"tier\":\"db\"}") })
        {
            var body = $"{{\"metadata\":{{\"name\":\"{name}\",\"labels\":{labels}}},\"spec\":{RestrictedSpec}}}";
            using var response = await client.PostAsync($"/api/v1/namespaces/{FakeApiServer.Namespace}/pods", new StringContent(body));
            response.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        Server.Store.Update(FakeResourceKind.Pods, FakeApiServer.Namespace, "b", FakePodStatuses.Running);

        async Task<string[]> ListAsync(string query) =>
            Names(await client.GetStringAsync($"/api/v1/namespaces/{FakeApiServer.Namespace}/pods?{query}"));

        (await ListAsync("labelSelector=" + Uri.EscapeDataString("app in (x,y)"))).ShouldBe(["a", "b"]);
        (await ListAsync("labelSelector=" + Uri.EscapeDataString("app notin (x)"))).ShouldBe(["b", "c"]);
        (await ListAsync("labelSelector=tier")).ShouldBe(["a", "c"]);
        (await ListAsync("labelSelector=" + Uri.EscapeDataString("!tier"))).ShouldBe(["b"]);
        (await ListAsync("labelSelector=" + Uri.EscapeDataString("app=x,tier=web"))).ShouldBe(["a"]);
        (await ListAsync("fieldSelector=" + Uri.EscapeDataString("metadata.name=c"))).ShouldBe(["c"]);
        (await ListAsync("fieldSelector=" + Uri.EscapeDataString("status.phase=Running"))).ShouldBe(["b"]);
        (await ListAsync("fieldSelector=" + Uri.EscapeDataString("status.phase!=Running"))).ShouldBe(["a", "c"]);
    }

    [Fact]
    public async Task ResourceVersion_grows_with_every_change()
    {
        using var client = Server.CreateHttpClient(withToken: true);
        var body = "{\"metadata\":{\"name\":\"p\"},\"spec\":" + RestrictedSpec + "}";
        using var created = await client.PostAsync($"/api/v1/namespaces/{FakeApiServer.Namespace}/pods", new StringContent(body));
        var first = long.Parse(JsonNode.Parse(await created.Content.ReadAsStringAsync())!["metadata"]!["resourceVersion"]!.GetValue<string>());
        var modified = Server.Store.Update(FakeResourceKind.Pods, FakeApiServer.Namespace, "p", FakePodStatuses.Running);
        var second = long.Parse(modified["metadata"]!["resourceVersion"]!.GetValue<string>());
        second.ShouldBeGreaterThan(first);
        var list = JsonNode.Parse(await client.GetStringAsync($"/api/v1/namespaces/{FakeApiServer.Namespace}/pods"))!;
        long.Parse(list["metadata"]!["resourceVersion"]!.GetValue<string>()).ShouldBe(second);
    }

    [Fact]
    public async Task A_request_without_the_right_token_is_refused_with_401()
    {
        using var anonymous = Server.CreateHttpClient(withToken: false);
        using var response = await anonymous.GetAsync($"/api/v1/namespaces/{FakeApiServer.Namespace}/pods");
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["reason"]!.GetValue<string>().ShouldBe("Unauthorized");

        // kubectl without any credentials would prompt for a user name on stdin; a wrong token is what it can show.
        var kubeconfig = Cli.WriteFile("stranger.kubeconfig", Server.Kubeconfig(token: "not-the-token"));
        var refused = await Cli.RunAsync(TimeSpan.FromSeconds(20), kubeconfig, "get", "pods");
        refused.ExitCode.ShouldNotBe(0);
        refused.Error.ShouldContain("You must be logged in to the server", Case.Sensitive, refused.ToString());
    }

    /// <summary>A pod spec (JSON) that Pod Security "restricted", enforced in <see cref="FakeApiServer.Namespace"/>, admits.</summary>
    internal const string RestrictedSpec = """
        {"securityContext":{"runAsNonRoot":true,"runAsUser":1000,"seccompProfile":{"type":"RuntimeDefault"}},
         "containers":[{"name":"main","image":"busybox","securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}}}]}
        """;

    internal static string Pod(string name, string app) => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
          labels:
            app: "{app}"
        spec:
          securityContext:
            runAsNonRoot: true
            runAsUser: 1000
            seccompProfile:
              type: RuntimeDefault
          containers:
          - name: main
            image: busybox:1.36
            command: ["sleep", "3600"]
            securityContext:
              allowPrivilegeEscalation: false
              capabilities:
                drop: [ALL]

        """;

    internal static string[] Names(string listJson) =>
        JsonNode.Parse(listJson)!["items"]!.AsArray().Select(item => item!["metadata"]!["name"]!.GetValue<string>()).ToArray();
}
