using Xunit;

namespace RemoltBlazor.TestSupport;

/// <summary>A fact that runs a <see cref="PrivateDockerEngine"/> (dockerd and root) and the machine's engine for its images.</summary>
public sealed class PrivateEngineFactAttribute : FactAttribute
{
    public PrivateEngineFactAttribute() => Skip = TestEnvironment.DockerSkipReason ?? PrivateDockerEngine.SkipReason;
}
