using Xunit.Sdk;

namespace RemoltBlazor.Sandboxes.Tests.Contract;

/// <summary>
/// A contract test: skipped with the reason of the concrete class's host (<see cref="IRuntimeContractHost.SkipReason"/>),
/// which an attribute on the shared abstract class cannot know by itself (see <see cref="RuntimeContractFactDiscoverer"/>).
/// </summary>
[XunitTestCaseDiscoverer("RemoltBlazor.Sandboxes.Tests.Contract.RuntimeContractFactDiscoverer", "RemoltBlazor.Sandboxes.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RuntimeContractFactAttribute : FactAttribute
{
}
