using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RemoltBlazor.Sandboxes.Kubernetes;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>Settings, runtime selection, and the parsing of what execs in a pod answer (stats, exit statuses).</summary>
public sealed class KubernetesRuntimeOptionsTests
{
    [Fact]
    public void The_validator_names_every_bad_setting_at_once()
    {
        var options = new KubernetesOptions
        {
            Namespace = "Not_A_Namespace",
            PodStartTimeoutSeconds = 1,
            WorkspaceSize = "lots",
            ImagePullPolicy = "Sometimes",
            ServerSelector = "app",
            RuntimeClass = "G Visor",
        };

        var result = new KubernetesOptionsValidator().Validate(null, options);

        result.Failed.ShouldBeTrue();
        result.Failures.Count().ShouldBe(6);
        string.Join("\n", result.Failures).ShouldContain("REMOLT_K8S_WORKSPACE_SIZE 'lots'");
        new KubernetesOptionsValidator().Validate(null, new KubernetesOptions()).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void The_runtime_is_chosen_by_REMOLT_RUNTIME_and_auto_looks_for_a_service_account_token()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"remolt-sa-{Guid.NewGuid():N}");
        static IConfiguration Settings(string? runtime, string folder) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["REMOLT_RUNTIME"] = runtime,
            ["REMOLT_K8S_SERVICE_ACCOUNT_FOLDER"] = folder,
        }).Build();

        KubernetesServiceCollectionExtensions.UsesKubernetes(Settings("kubernetes", folder)).ShouldBeTrue();
        KubernetesServiceCollectionExtensions.UsesKubernetes(Settings("docker", folder)).ShouldBeFalse();
        KubernetesServiceCollectionExtensions.UsesKubernetes(Settings(null, folder)).ShouldBeFalse();
        Should.Throw<InvalidOperationException>(() => KubernetesServiceCollectionExtensions.UsesKubernetes(Settings("podman", folder)))
            .Message.ShouldContain("auto, docker, kubernetes or local");

        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllText(Path.Combine(folder, "token"), "t");
            File.WriteAllText(Path.Combine(folder, "namespace"), "sandboxes\n");
            KubernetesServiceCollectionExtensions.UsesKubernetes(Settings("auto", folder)).ShouldBeTrue();
            KubernetesServiceCollectionExtensions.UsesKubernetes(Settings("docker", folder)).ShouldBeFalse();
            KubernetesClientFactory.Namespace(new KubernetesOptions { ServiceAccountFolder = folder }).ShouldBe("sandboxes");
            KubernetesClientFactory.Namespace(new KubernetesOptions { ServiceAccountFolder = folder, Namespace = "mine" }).ShouldBe("mine");
            KubernetesClientFactory.Namespace(new KubernetesOptions { ServiceAccountFolder = folder + "-none" }).ShouldBe("remolt");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_app_serves_sandboxes_from_the_kubernetes_runtime_when_chosen()
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["REMOLT_RUNTIME"] = "kubernetes" }).Build();
        services.AddKubernetesRuntime(configuration);
        services.ShouldContain(d => d.ServiceType == typeof(KubernetesRuntime));
        services.ShouldContain(d => d.ImplementationType == typeof(KubernetesNetworkPolicyInstaller));
    }

    [Fact]
    public void Stats_come_from_cgroup_v2_or_v1_and_every_interface_but_lo()
    {
        const string netDev = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:  999999      10    0    0    0     0          0         0   999999      10    0    0    0     0       0          0
              eth0:    1500      12    0    0    0     0          0         0      700       9    0    0    0     0       0          0
              eth1:     500       2    0    0    0     0          0         0      300       1    0    0    0     0       0          0
            """;
        var v2 = KubernetesStats.Parse($"cpu_usec 2500000\nmemory 300000000\nlimit 2147483648\ninactive 100000000\n{netDev}");
        v2.ShouldBe(new SandboxStats(TimeSpan.FromSeconds(2.5), 200_000_000, 2147483648, 2000, 1000));

        var v1 = KubernetesStats.Parse($"cpu_nsec 1000000000\nmemory 5000\nlimit 9223372036854771712\ninactive \n{netDev}");
        v1.ShouldBe(new SandboxStats(TimeSpan.FromSeconds(1), 5000, null, 2000, 1000));

        var unlimited = KubernetesStats.Parse("cpu_usec 1\nmemory 1\nlimit max\ninactive 0\n");
        unlimited.ShouldNotBeNull().MemoryLimitBytes.ShouldBeNull();
        KubernetesStats.Parse("garbage").ShouldBeNull();
    }

    [Fact]
    public void Exit_statuses_are_read_from_channel_3_and_a_failure_to_start_is_the_runtimes_exception()
    {
        KubernetesExecChannel.ExitCode(Encoding.UTF8.GetBytes("""{"metadata":{},"status":"Success"}"""), "p").ShouldBe(0);
        KubernetesExecChannel.ExitCode(Encoding.UTF8.GetBytes(
            """{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"7"}]}}"""), "p").ShouldBe(7);
        Should.Throw<SandboxRuntimeException>(() => KubernetesExecChannel.ExitCode(Encoding.UTF8.GetBytes(
            """{"metadata":{},"status":"Failure","message":"exec: \"nope\": executable file not found in $PATH","reason":"InternalError"}"""), "pod-x"))
            .Message.ShouldBe("The exec in pod pod-x failed: exec: \"nope\": executable file not found in $PATH");
    }
}
