using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Web.Tests.Proxy;

/// <summary>A theory that needs a real Docker engine (the theory twin of <see cref="DockerFactAttribute"/>).</summary>
public sealed class DockerTheoryAttribute : TheoryAttribute
{
    public DockerTheoryAttribute() => Skip = TestEnvironment.DockerSkipReason;
}
