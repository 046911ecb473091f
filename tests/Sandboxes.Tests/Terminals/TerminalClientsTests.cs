using RemoltBlazor.Sandboxes.Terminals;

namespace RemoltBlazor.Sandboxes.Tests.Terminals;

public sealed class TerminalClientsTests
{
    [Fact]
    public void Attach_CountsPerSession_EachLeaseReturnsOnce_NeverNegative()
    {
        var clients = new TerminalClients();
        var first = clients.Attach("a");
        var second = clients.Attach("a");
        using var other = clients.Attach("b");

        clients.CountOf("a").ShouldBe(2);
        clients.CountOf("b").ShouldBe(1);
        clients.CountOf("nobody").ShouldBe(0);

        first.Dispose();
        first.Dispose();
        first.Dispose();
        clients.CountOf("a").ShouldBe(1);
        second.Dispose();
        clients.CountOf("a").ShouldBe(0);
        clients.CountOf("b").ShouldBe(1);
    }

    [Fact]
    public async Task Attach_ConcurrentAttachesAndDisposes_EndAtZero()
    {
        var clients = new TerminalClients();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                var lease = clients.Attach("s");
                lease.Dispose();
                lease.Dispose();
            }
        }))).WaitAsync(TimeSpan.FromSeconds(30));

        clients.CountOf("s").ShouldBe(0);
    }
}
