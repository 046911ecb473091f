using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Web.Tests.Proxy;

/// <summary>A theory that needs Debian's Chromium only (the theory twin of ChromiumFact).</summary>
public sealed class ChromiumTheoryAttribute : TheoryAttribute
{
    public ChromiumTheoryAttribute() => Skip = TestEnvironment.IsCi || TestEnvironment.ChromiumAvailable ? null
        : $"Chromium is not at {TestEnvironment.ChromiumPath}: apt-get install -y chromium (with CI=true this test fails instead).";
}
