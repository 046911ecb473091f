using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using RemoltBlazor.TestSupport.Kubernetes;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>PATCH (merge, strategic merge, JSON patch) and PUT with resourceVersion preconditions, driven by kubectl label/annotate/patch/replace.</summary>
public sealed class FakeApiServerUpdateTests : FakeApiServerTestBase
{
    private const string Ns = FakeApiServer.Namespace;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var created = await Cli.RunAsync("create", "-f", Cli.WriteFile("web.yaml", FakeApiServerFidelityTests.Pod("web", "x")), "--validate=false");
        created.ExitCode.ShouldBe(0, created.ToString());
    }


    [Fact]
    public async Task Kubectl_label_and_annotate_change_the_pod_and_selectors_see_it()
    {
        var before = ResourceVersion(Server.Store.Get(FakeResourceKind.Pods, Ns, "web"));
        var labelled = await Cli.RunAsync("label", "pod", "web", "tier=front", "app=y", "--overwrite");
        labelled.ExitCode.ShouldBe(0, labelled.ToString());
        labelled.Output.ShouldContain("pod/web labeled");
        (await Cli.RunAsync("annotate", "pod", "web", "remolt.dev/owner=alice")).ExitCode.ShouldBe(0);

        var pod = Server.Store.Get(FakeResourceKind.Pods, Ns, "web");
        pod["metadata"]!["labels"]!.ToJsonString().ShouldBe("{\"app\":\"y\",\"tier\":\"front\"}");
        pod["metadata"]!["annotations"]!["remolt.dev/owner"]!.GetValue<string>().ShouldBe("alice");
        ResourceVersion(pod).ShouldBeGreaterThan(before);
        pod["status"]!["phase"]!.GetValue<string>().ShouldBe("Running", "a patch of the pod leaves its status alone");
        FakeApiServerFidelityTests.Names((await Cli.RunAsync("get", "pods", "-l", "tier=front", "-o", "json")).Output).ShouldBe(["web"]);

        var removed = await Cli.RunAsync("label", "pod", "web", "tier-");
        removed.ExitCode.ShouldBe(0, removed.ToString());
        Server.Store.Get(FakeResourceKind.Pods, Ns, "web")["metadata"]!["labels"]!.ToJsonString().ShouldBe("{\"app\":\"y\"}");
    }

    [Fact]
    public async Task Kubectl_label_with_a_stale_resource_version_is_refused_with_a_conflict()
    {
        var refused = await Cli.RunAsync("label", "pod", "web", "tier=front", "--resource-version=1");
        refused.ExitCode.ShouldNotBe(0);
        refused.Error.ShouldContain("Operation cannot be fulfilled on pods \"web\": the object has been modified", customMessage: refused.ToString());
    }

    [Theory]
    [InlineData("merge", "{\"metadata\":{\"labels\":{\"patched\":\"merge\"}}}", "merge")]
    [InlineData("strategic", "{\"metadata\":{\"labels\":{\"patched\":\"strategic\"}},\"spec\":{\"containers\":[{\"name\":\"main\",\"env\":[{\"name\":\"A\",\"value\":\"1\"}]}]}}", "strategic")]
    [InlineData("json", "[{\"op\":\"add\",\"path\":\"/metadata/labels/patched\",\"value\":\"json\"},{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{\"a~b\":\"c\"}}]", "json")]
    public async Task Kubectl_patch_applies_each_patch_type(string type, string patch, string label)
    {
        var patched = await Cli.RunAsync("patch", "pod", "web", "--type=" + type, "-p", patch);
        patched.ExitCode.ShouldBe(0, patched.ToString());
        patched.Output.ShouldContain("pod/web patched");
        var pod = Server.Store.Get(FakeResourceKind.Pods, Ns, "web");
        pod["metadata"]!["labels"]!["patched"]!.GetValue<string>().ShouldBe(label);
        pod["metadata"]!["labels"]!["app"]!.GetValue<string>().ShouldBe("x");
        if (type == "strategic")
        {
            // The containers list merges by name: the image stays, env is added.
            var container = pod["spec"]!["containers"]![0]!;
            container["image"]!.GetValue<string>().ShouldBe("busybox:1.36");
            container["env"]![0]!["name"]!.GetValue<string>().ShouldBe("A");
        }
    }

    [Fact]
    public async Task Put_replaces_with_a_current_resource_version_and_refuses_a_stale_one_with_409()
    {
        using var client = Server.CreateHttpClient(withToken: true);
        var policy = """{"metadata":{"name":"np"},"spec":{"podSelector":{}}}""";
        (await client.PostAsync($"/apis/networking.k8s.io/v1/namespaces/{Ns}/networkpolicies", new StringContent(policy))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var current = Server.Store.Get(FakeResourceKind.NetworkPolicies, Ns, "np");
        current["spec"] = new JsonObject { ["podSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["a"] = "b" } } };

        using var replaced = await client.PutAsync($"/apis/networking.k8s.io/v1/namespaces/{Ns}/networkpolicies/np", new StringContent(current.ToJsonString(), Encoding.UTF8, "application/json"));
        replaced.StatusCode.ShouldBe(HttpStatusCode.OK);
        var after = JsonNode.Parse(await replaced.Content.ReadAsStringAsync())!;
        after["spec"]!["podSelector"]!["matchLabels"]!["a"]!.GetValue<string>().ShouldBe("b");
        after["metadata"]!["generation"]!.GetValue<long>().ShouldBe(2);

        using var stale = await client.PutAsync($"/apis/networking.k8s.io/v1/namespaces/{Ns}/networkpolicies/np", new StringContent(current.ToJsonString(), Encoding.UTF8, "application/json"));
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var status = JsonNode.Parse(await stale.Content.ReadAsStringAsync())!;
        status["reason"]!.GetValue<string>().ShouldBe("Conflict");
        status["message"]!.GetValue<string>().ShouldStartWith("Operation cannot be fulfilled on networkpolicies.networking.k8s.io \"np\"");

        // kubectl replace does a GET-free PUT with the file's resourceVersion: the current one from the store passes.
        var file = Cli.WriteFile("np.json", Server.Store.Get(FakeResourceKind.NetworkPolicies, Ns, "np").ToJsonString());
        var put = await Cli.RunAsync("replace", "-f", file, "--validate=false");
        put.ExitCode.ShouldBe(0, put.ToString());
        put.Output.ShouldContain("networkpolicy.networking.k8s.io/np replaced");
    }

    private static long ResourceVersion(JsonObject resource) => long.Parse(resource["metadata"]!["resourceVersion"]!.GetValue<string>());
}
