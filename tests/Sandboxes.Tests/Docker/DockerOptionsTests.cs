using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Docker;

namespace RemoltBlazor.Sandboxes.Tests.Docker;

public sealed class DockerOptionsTests
{
    [Fact]
    public void Bind_OriginalEnvironmentNames_SetsEveryOption()
    {
        var options = Bind(new()
        {
            ["REMOLT_DOCKER_SOCKET"] = "/run/other.sock",
            ["REMOLT_SANDBOX_MEMORY_MB"] = "1024",
            ["REMOLT_SANDBOX_CPUS"] = "1.5",
            ["REMOLT_SANDBOX_PIDS"] = "256",
            ["REMOLT_SANDBOX_SUBNET_POOL"] = "10.50.0.0/20",
            ["REMOLT_DOCKER_NO_NEW_PRIVILEGES"] = "true",
        });

        options.SocketPath.ShouldBe("/run/other.sock");
        options.MemoryMb.ShouldBe(1024);
        options.Cpus.ShouldBe(1.5);
        options.PidsLimit.ShouldBe(256);
        options.SubnetPool.ShouldBe("10.50.0.0/20");
        options.NoNewPrivileges.ShouldBeTrue();
    }

    [Fact]
    public void Bind_Nothing_KeepsOriginalDefaults()
    {
        var options = Bind([]);

        options.SocketPath.ShouldBe("/var/run/docker.sock");
        options.MemoryMb.ShouldBe(2048);
        options.Cpus.ShouldBe(2);
        options.PidsLimit.ShouldBe(512);
        options.SubnetPool.ShouldBe("10.213.0.0/16");
        options.NoNewPrivileges.ShouldBeFalse();
    }

    [Fact]
    public void SocketPath_DockerHostUnix_WinsOverRemoltSocket()
    {
        var options = Bind(new() { ["DOCKER_HOST"] = "unix:///tmp/d.sock", ["REMOLT_DOCKER_SOCKET"] = "/run/other.sock" });

        options.SocketPath.ShouldBe("/tmp/d.sock");
    }

    [Fact]
    public void Validate_EverythingWrong_ListsEveryError()
    {
        var result = new DockerOptionsValidator().Validate(null, new DockerOptions
        {
            DockerHost = "tcp://1.2.3.4:2375",
            Socket = "relative.sock",
            MemoryMb = 1,
            Cpus = 0,
            PidsLimit = 1,
            SubnetPool = "10.0.0.0/30",
        });

        result.Failed.ShouldBeTrue();
        result.Failures!.Count().ShouldBe(6);
        result.FailureMessage.ShouldContain("DOCKER_HOST");
        result.FailureMessage.ShouldContain("REMOLT_SANDBOX_MEMORY_MB");
        result.FailureMessage.ShouldContain("REMOLT_SANDBOX_CPUS");
        result.FailureMessage.ShouldContain("REMOLT_SANDBOX_PIDS");
        result.FailureMessage.ShouldContain("REMOLT_SANDBOX_SUBNET_POOL");
    }

    [Fact]
    public void AddDockerRuntime_InvalidPool_FailsOnResolve()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["REMOLT_SANDBOX_SUBNET_POOL"] = "nope" }).Build();
        using var provider = new ServiceCollection().AddLogging().AddDockerRuntime(configuration).BuildServiceProvider();

        Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DockerOptions>>().Value)
            .Message.ShouldContain("REMOLT_SANDBOX_SUBNET_POOL");
        Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<DockerRuntime>());
    }

    private static DockerOptions Bind(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return configuration.Get<DockerOptions>() ?? new DockerOptions();
    }
}
