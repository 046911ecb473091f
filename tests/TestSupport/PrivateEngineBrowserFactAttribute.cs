using Xunit;

namespace RemoltBlazor.TestSupport;

/// <summary>A <see cref="PrivateEngineFactAttribute"/> that also needs Debian's Chromium.</summary>
public sealed class PrivateEngineBrowserFactAttribute : FactAttribute
{
    public PrivateEngineBrowserFactAttribute() => Skip = TestEnvironment.BrowserSkipReason ?? PrivateDockerEngine.SkipReason;
}
