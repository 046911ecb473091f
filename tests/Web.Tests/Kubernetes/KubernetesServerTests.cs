using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using RemoltBlazor.TestSupport;
using RemoltBlazor.TestSupport.Kubernetes;
using RemoltBlazor.Web.Tests.Hosting;
using RemoltBlazor.Web.Tests.Realtime;

namespace RemoltBlazor.Web.Tests.Kubernetes;

/// <summary>
/// The whole server on the Kubernetes runtime, as an operator runs it (a real process, a kubeconfig), against the
/// fake API server whose pods are real containers of the sandbox image: nothing above the runtime knows it is on pods.
/// </summary>
public sealed partial class KubernetesServerTests
{
    [DockerFact]
    public async Task SessionOnAPod_TypeCrashRestart_HistoryUploadDownloadAndEnd()
    {
        await SandboxImage.EnsureBuiltAsync();
        await using var api = await FakeApiServer.StartAsync(new FakeApiServerOptions { Pods = FakePodBackend.Docker });
        var data = TestDataFolder.Create("remolt-k8s-server-tests");
        var settings = KubernetesSettings(api, data);

        string sessionId;
        int beforeKill;
        await using (var first = await AppProcess.StartAsync(data, settings))
        {
            using var http = new HttpClient { BaseAddress = first.Address };
            var health = await http.GetFromJsonAsync<JsonElement>("health");
            health.GetProperty("runtime").GetString().ShouldBe("k8s");
            health.GetProperty("runtime_available").GetBoolean().ShouldBeTrue();

            var created = await http.PostAsJsonAsync("api/sessions", new { });
            created.IsSuccessStatusCode.ShouldBeTrue(await created.Content.ReadAsStringAsync());
            sessionId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("session_id").GetString()!;
            (await PodsOfSessionAsync(api, sessionId)).ShouldBe(1);

            await using var terminal = await TerminalSocketClient.ConnectAsync(first.Address, $"/ws/terminal/{sessionId}");
            await terminal.WaitForAsync("$ ");
            await terminal.SendKeysAsync("id -u; for i in $(seq 1 100000); do echo count-$i; sleep 0.1; done\r");
            await terminal.WaitForAsync(screen => MaxCount(screen) >= 20, "count-20");
            terminal.Screen.ShouldContain("1000");
            beforeKill = MaxCount(terminal.Screen);
            await first.KillAsync();
        }

        await using var second = await AppProcess.StartAsync(data, settings);
        using var client = new HttpClient { BaseAddress = second.Address };
        try
        {
            // Adopted by its labels: the counter kept running in the pod while no server existed.
            await using var reattached = await TerminalSocketClient.ConnectAsync(second.Address, $"/ws/terminal/{sessionId}");
            await reattached.WaitForAsync(screen => MaxCount(screen) >= beforeKill + 10, $"count-{beforeKill + 10}", TimeSpan.FromSeconds(60));
            Counts(reattached.Screen).Min().ShouldBe(1);

            var upload = new ByteArrayContent(new Tarball().File("notes/hello.txt", "from the browser\n").ToArray());
            upload.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
            var uploaded = await client.PostAsync($"api/sessions/{sessionId}/upload", upload);
            uploaded.IsSuccessStatusCode.ShouldBeTrue(await uploaded.Content.ReadAsStringAsync());
            var archive = await client.GetByteArrayAsync($"api/sessions/{sessionId}/download");
            Tarball.Read(archive).ShouldContain(e => e.Name.EndsWith("notes/hello.txt", StringComparison.Ordinal) && e.Text == "from the browser\n");
        }
        finally
        {
            (await client.DeleteAsync($"api/sessions/{sessionId}")).IsSuccessStatusCode.ShouldBeTrue();
        }

        await Poll.UntilAsync(async () => await PodsOfSessionAsync(api, sessionId) == 0, TimeSpan.FromSeconds(30));
    }

    /// <summary>The settings an operator sets to run out of cluster on a kubeconfig; the fake's pods run the test image.</summary>
    internal static Dictionary<string, string> KubernetesSettings(FakeApiServer api, string data) => new()
    {
        ["REMOLT_RUNTIME"] = "kubernetes",
        ["KUBECONFIG"] = api.KubeconfigPath,
        ["REMOLT_SANDBOX_IMAGE"] = SandboxImage.Name,
        ["REMOLT_EVENTS_LOG"] = Path.Combine(data, "events.jsonl"),
    };

    /// <summary>Pods in the fake that carry the session id (in their annotation: label values are encoded).</summary>
    internal static async Task<int> PodsOfSessionAsync(FakeApiServer api, string sessionId)
    {
        using var http = api.CreateHttpClient(withToken: true);
        var list = await http.GetFromJsonAsync<JsonElement>($"api/v1/namespaces/{FakeApiServer.Namespace}/pods?labelSelector=remolt.managed%3Dtrue");
        return list.GetProperty("items").EnumerateArray().Count(pod =>
            pod.GetProperty("metadata").TryGetProperty("annotations", out var annotations)
            && annotations.TryGetProperty("remolt.dev/session-id", out var id) && id.GetString() == sessionId
            && !pod.GetProperty("metadata").TryGetProperty("deletionTimestamp", out _));
    }

    private static int MaxCount(string text) => Counts(text) is { Count: > 0 } counts ? counts.Max() : 0;

    private static List<int> Counts(string text) =>
        [.. CountLine().Matches(text).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Distinct().Order()];

    [GeneratedRegex(@"count-(\d+)(?!\d)")]
    private static partial Regex CountLine();
}
