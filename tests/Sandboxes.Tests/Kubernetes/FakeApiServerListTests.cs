using System.Net;
using System.Text.Json.Nodes;
using RemoltBlazor.TestSupport.Kubernetes;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>List paging (kubectl --chunk-size and raw limit/continue), watch bookmarks, initial events and 410 Expired.</summary>
public sealed class FakeApiServerListTests() : FakeApiServerTestBase(new FakeApiServerOptions { Pods = FakePodBackend.Manual, WatchBookmarkInterval = TimeSpan.FromMilliseconds(200) })
{
    private const string Pods = $"/api/v1/namespaces/{FakeApiServer.Namespace}/pods";
    private HttpClient _client = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _client = Server.CreateHttpClient(withToken: true);
        foreach (var name in new[] { "p1", "p2", "p3", "p4", "p5" })
        {
            using var created = await _client.PostAsync(Pods, new StringContent($"{{\"metadata\":{{\"name\":\"{name}\"}},\"spec\":{FakeApiServerFidelityTests.RestrictedSpec}}}"));
            created.StatusCode.ShouldBe(HttpStatusCode.Created);
        }
    }

    public override async Task DisposeAsync()
    {
        _client.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Kubectl_get_in_chunks_follows_the_continue_tokens_to_every_item()
    {
        var listed = await Cli.RunAsync("get", "pods", "--chunk-size=2", "-o", "name");
        listed.ExitCode.ShouldBe(0, listed.ToString());
        listed.Output.ShouldBe("pod/p1\npod/p2\npod/p3\npod/p4\npod/p5\n");
    }

    [Fact]
    public async Task A_limited_list_pages_with_continue_and_remainingItemCount_and_an_expired_token_is_410()
    {
        var first = JsonNode.Parse(await _client.GetStringAsync(Pods + "?limit=2"))!;
        FakeApiServerFidelityTests.Names(first.ToJsonString()).ShouldBe(["p1", "p2"]);
        first["metadata"]!["remainingItemCount"]!.GetValue<long>().ShouldBe(3);
        var token = first["metadata"]!["continue"]!.GetValue<string>();

        var second = JsonNode.Parse(await _client.GetStringAsync(Pods + "?limit=2&continue=" + Uri.EscapeDataString(token)))!;
        FakeApiServerFidelityTests.Names(second.ToJsonString()).ShouldBe(["p3", "p4"]);
        var last = JsonNode.Parse(await _client.GetStringAsync(Pods + "?limit=2&continue=" + Uri.EscapeDataString(second["metadata"]!["continue"]!.GetValue<string>())))!;
        FakeApiServerFidelityTests.Names(last.ToJsonString()).ShouldBe(["p5"]);
        last["metadata"]!["continue"].ShouldBeNull();

        Server.Store.Update(FakeResourceKind.Pods, FakeApiServer.Namespace, "p1", FakePodStatuses.Running);
        Server.Store.Compact();
        using var expired = await _client.GetAsync(Pods + "?limit=2&continue=" + Uri.EscapeDataString(token));
        expired.StatusCode.ShouldBe(HttpStatusCode.Gone);
        JsonNode.Parse(await expired.Content.ReadAsStringAsync())!["reason"]!.GetValue<string>().ShouldBe("Expired");
    }

    [Fact]
    public async Task A_watch_without_a_resource_version_starts_with_the_current_objects_and_bookmarks_when_allowed()
    {
        using var reader = await WatchAsync("allowWatchBookmarks=true");
        var lines = new List<JsonNode>();
        while (lines.Count < 6)
        {
            lines.Add(await ReadLineAsync(reader));
        }

        lines.Take(5).Select(line => line["type"]!.GetValue<string>() + " " + line["object"]!["metadata"]!["name"]!.GetValue<string>())
            .ShouldBe(["ADDED p1", "ADDED p2", "ADDED p3", "ADDED p4", "ADDED p5"]);
        lines[5]["type"]!.GetValue<string>().ShouldBe("BOOKMARK");
        lines[5]["object"]!["kind"]!.GetValue<string>().ShouldBe("Pod");
        long.Parse(lines[5]["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>()).ShouldBe(Server.Store.ResourceVersion);
    }

    [Fact]
    public async Task Initial_events_end_with_a_bookmark_that_says_so()
    {
        using var reader = await WatchAsync("sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true");
        for (var i = 0; i < 5; i++)
        {
            (await ReadLineAsync(reader))["type"]!.GetValue<string>().ShouldBe("ADDED");
        }

        var end = await ReadLineAsync(reader);
        end["type"]!.GetValue<string>().ShouldBe("BOOKMARK");
        end["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]!.GetValue<string>().ShouldBe("true");
    }

    [Fact]
    public async Task A_watch_from_a_compacted_resource_version_gets_an_ERROR_event_410_Expired()
    {
        var old = Server.Store.ResourceVersion;
        Server.Store.Update(FakeResourceKind.Pods, FakeApiServer.Namespace, "p2", FakePodStatuses.Running);
        Server.Store.Compact();

        using var reader = await WatchAsync("resourceVersion=" + old);
        var error = await ReadLineAsync(reader);
        error["type"]!.GetValue<string>().ShouldBe("ERROR");
        error["object"]!["code"]!.GetValue<int>().ShouldBe(410);
        error["object"]!["reason"]!.GetValue<string>().ShouldBe("Expired");
        error["object"]!["message"]!.GetValue<string>().ShouldStartWith($"too old resource version: {old} (");
    }

    private async Task<StreamReader> WatchAsync(string query) =>
        new(await _client.GetStreamAsync(Pods + "?watch=true&" + query));

    private static async Task<JsonNode> ReadLineAsync(StreamReader reader)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return JsonNode.Parse((await reader.ReadLineAsync(deadline.Token))!)!;
    }
}
