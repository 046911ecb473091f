using RemoltBlazor.TestSupport;
using RemoltBlazor.TestSupport.Kubernetes;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>A fake API server with Docker-backed pods and kubectl against it, shared by the Docker pod tests of one class.</summary>
public sealed class FakeApiServerDockerPods : IAsyncLifetime
{
    public FakeApiServer Server { get; private set; } = null!;

    internal Kubectl Kubectl { get; private set; } = null!;

    public string Image { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Image = await SandboxImage.EnsureBuiltAsync();
        Server = await FakeApiServer.StartAsync(new FakeApiServerOptions { Pods = FakePodBackend.Docker });
        Kubectl = new Kubectl(Server);
    }

    public async Task DisposeAsync()
    {
        Kubectl.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>A pod the "restricted" profile admits: uid/gid 1000, no privilege escalation, all capabilities dropped, an emptyDir.</summary>
    public string Pod(string name, string command = "echo started-log-line; exec sleep 3600", string image = "", string extraSpec = "", string requests = "{memory: 128Mi, cpu: 100m}", string limits = "{memory: 256Mi, cpu: '1'}",
        string volumes = "[{name: scratch, emptyDir: {sizeLimit: 64Mi}}]", string mounts = "[{name: scratch, mountPath: /scratch}]", string fsGroup = "") => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
        spec:
          {extraSpec}
          securityContext:
            runAsNonRoot: true
            runAsUser: 1000
            runAsGroup: 1000
            {fsGroup}
            seccompProfile:
              type: RuntimeDefault
          containers:
          - name: sandbox
            image: {(image.Length > 0 ? image : Image)}
            command: ["sh", "-c", "{command}"]
            env:
            - name: GREETING
              value: hello-from-env
            resources:
              limits: {limits}
              requests: {requests}
            securityContext:
              allowPrivilegeEscalation: false
              capabilities:
                drop: [ALL]
            volumeMounts: {mounts}
          volumes: {volumes}

        """;

    /// <summary>Creates the pod with kubectl and, unless told not to, waits for it to be Ready.</summary>
    public async Task CreateAsync(string name, string yaml, bool waitReady = true)
    {
        var created = await Kubectl.RunAsync("create", "-f", Kubectl.WriteFile(name + ".yaml", yaml), "--validate=false");
        created.ExitCode.ShouldBe(0, created.ToString());
        if (waitReady)
        {
            var ready = await Kubectl.RunAsync(TimeSpan.FromSeconds(90), Server.KubeconfigPath, "wait", "--for=condition=Ready", "pod/" + name, "--timeout=80s");
            ready.ExitCode.ShouldBe(0, ready.ToString());
        }
    }

    /// <summary>Polls a jsonpath of the pod with kubectl until it prints <paramref name="expected"/>; returns the last output.</summary>
    public async Task<string> UntilJsonPathAsync(string name, string jsonPath, Func<string, bool> expected)
    {
        var output = "";
        await Poll.UntilAsync(async () =>
        {
            output = (await Kubectl.RunAsync("get", "pod", name, "-o", "jsonpath=" + jsonPath)).Output;
            return expected(output);
        }, TimeSpan.FromSeconds(60));
        return output;
    }
}
