using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace RemoltBlazor.TestSupport;

/// <summary>
/// The test run an app started by a test belongs to. Every data folder a test host uses gets an instance id that
/// starts with the run's id, and the app puts that id on everything it creates in Docker (the <c>remolt.instance</c>
/// label). Several runs share one Docker engine (other checkouts, CI jobs), so <c>.ci/run</c> sets
/// <see cref="EnvironmentVariable"/> and, after the tests, lists what is still labelled with its run: the suite must
/// leave no sandbox or network behind, and counts only its own.
/// </summary>
public static partial class TestRun
{
    public const string EnvironmentVariable = "REMOLT_TEST_RUN";

    /// <summary>The name of the file in a data folder that keeps the app's instance id (<c>InstanceIdentity</c>).</summary>
    public const string InstanceIdFile = "instance-id";

    /// <summary>From <see cref="EnvironmentVariable"/> when it is set (a label-safe word), else one per test process.</summary>
    public static string Id { get; } = Environment.GetEnvironmentVariable(EnvironmentVariable) is { } id && LabelSafe().IsMatch(id)
        ? id
        : "t" + RandomNumberGenerator.GetHexString(10, lowercase: true);

    /// <summary>An instance id of this run: <c>{run}-{random}</c>.</summary>
    public static string NewInstanceId() => $"{Id}-{RandomNumberGenerator.GetHexString(8, lowercase: true)}";

    /// <summary>Gives <paramref name="dataDirectory"/> an instance id of this run, unless it has one (a restart keeps it).</summary>
    public static void ClaimInstance(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, InstanceIdFile);
        if (!File.Exists(path))
        {
            File.WriteAllText(path, NewInstanceId());
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{3,40}$")]
    private static partial Regex LabelSafe();
}
