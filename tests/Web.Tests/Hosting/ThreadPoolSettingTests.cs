using System.Text.Json;

namespace RemoltBlazor.Web.Tests.Hosting;

public sealed class ThreadPoolSettingTests
{
    [Fact]
    public void AppRuntimeConfig_ThreadPoolWorkersDoNotSpin()
    {
        // The app's own runtimeconfig.json (copied next to the tests with the app's assembly), not this test host's.
        var path = Path.Combine(AppContext.BaseDirectory, "RemoltBlazor.Web.runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(path));

        config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties")
            .GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32().ShouldBe(0);
    }
}
