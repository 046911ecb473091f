using Xunit.Abstractions;
using Xunit.Sdk;

namespace RemoltBlazor.Sandboxes.Tests.Contract;

/// <summary>
/// Discovers a <see cref="RuntimeContractFactAttribute"/> test of one concrete contract class: finds the host type
/// in its <see cref="SandboxRuntimeContractTests{THost}"/> base and skips the test with that host's reason.
/// </summary>
public sealed class RuntimeContractFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        var skip = factAttribute.GetNamedArgument<string>(nameof(FactAttribute.Skip)) ?? SkipReasonOf(testMethod.TestClass.Class.ToRuntimeType());
        return skip is null
            ? [new XunitTestCase(diagnosticMessageSink, display, displayOptions, testMethod)]
            : [new XunitSkippedDataRowTestCase(diagnosticMessageSink, display, displayOptions, testMethod, skip)];
    }

    private static string? SkipReasonOf(Type? testClass)
    {
        for (var type = testClass; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(SandboxRuntimeContractTests<>))
            {
                var host = type.GetGenericArguments()[0];
                return (string?)typeof(RuntimeContractFactDiscoverer).GetMethod(nameof(SkipReasonOfHost), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                    .MakeGenericMethod(host).Invoke(null, null);
            }
        }

        return $"{testClass} is not a {nameof(SandboxRuntimeContractTests<>)}.";
    }

    private static string? SkipReasonOfHost<THost>()
        where THost : IRuntimeContractHost => THost.SkipReason;
}
