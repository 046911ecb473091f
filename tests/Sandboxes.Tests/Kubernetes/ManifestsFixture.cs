using k8s;
using k8s.Models;
using RemoltBlazor.TestSupport;
using RemoltBlazor.TestSupport.Kubernetes;
using Xunit;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>
/// The repository's k8s/ folder rendered once per test class with the machine's real kubectl (<c>kubectl kustomize</c>,
/// client-side), parsed into typed objects with KubernetesClient. A fake API server is started beside it for the
/// tests that apply the manifests (kubectl's discovery needs a server even for a client-side dry run).
/// </summary>
public sealed class ManifestsFixture : IAsyncLifetime
{
    private FakeApiServer? _server;
    private Kubectl? _kubectl;

    public static string K8sFolder => Path.Combine(SandboxImage.FindRepoRoot(), "k8s");

    public FakeApiServer Server => _server ?? throw new InvalidOperationException("Not started.");

    internal Kubectl Kubectl => _kubectl ?? throw new InvalidOperationException("Not started.");

    /// <summary>What <c>kubectl apply -k k8s/</c> applies.</summary>
    public IReadOnlyList<object> Root { get; private set; } = [];

    public IReadOnlyList<object> Base { get; private set; } = [];

    public IReadOnlyList<object> Example { get; private set; } = [];

    public async Task InitializeAsync()
    {
        if (!KubectlFactAttribute.Available)
        {
            return; // The tests skip (or, in CI, fail) by their attribute.
        }

        _server = await FakeApiServer.StartAsync();
        _kubectl = new Kubectl(_server);
        Root = await RenderAsync(K8sFolder);
        Base = await RenderAsync(Path.Combine(K8sFolder, "base"));
        Example = await RenderAsync(Path.Combine(K8sFolder, "overlays", "example"));
    }

    public async Task DisposeAsync()
    {
        _kubectl?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>Renders a kustomization folder; a kustomize error fails the fixture with kubectl's own message.</summary>
    public async Task<IReadOnlyList<object>> RenderAsync(string folder)
    {
        var rendered = await Kubectl.RunAsync("kustomize", folder);
        if (rendered.ExitCode != 0 || rendered.Error.Length > 0)
        {
            throw new InvalidOperationException($"kubectl kustomize {folder} failed or warned: {rendered}");
        }

        // strict: a field KubernetesClient's models do not know (a typo such as `readOnlyRootFileSystem`) fails here.
        return KubernetesYaml.LoadAllFromString(rendered.Output, strict: true);
    }

    public static T Named<T>(IReadOnlyList<object> objects, string name)
        where T : IKubernetesObject<V1ObjectMeta> =>
        objects.OfType<T>().Where(o => o.Metadata.Name == name).ShouldHaveSingleItem($"one {typeof(T).Name} named {name}");
}
