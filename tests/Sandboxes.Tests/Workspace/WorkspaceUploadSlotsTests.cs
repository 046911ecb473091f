using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Workspace;

namespace RemoltBlazor.Sandboxes.Tests.Workspace;

public sealed class WorkspaceUploadSlotsTests
{
    private readonly WorkspaceUploadSlots _slots = new(Options.Create(new WorkspaceOptions { MaxConcurrentUploads = 2 }));

    [Fact]
    public void Enter_SameSessionTwice_SecondRefusedUntilTheFirstLeaves()
    {
        var first = _slots.Enter("s1");

        Should.Throw<WorkspaceUploadBusyException>(() => _slots.Enter("s1")).Message.ShouldContain("already in progress");

        first.Dispose();
        _slots.Enter("s1").Dispose();
    }

    [Fact]
    public void Enter_PastTheServerLimit_RefusedNamingTheLimit()
    {
        using var a = _slots.Enter("s1");
        var b = _slots.Enter("s2");

        Should.Throw<WorkspaceUploadBusyException>(() => _slots.Enter("s3")).Message.ShouldContain("at most 2");
        _slots.InProgress.ShouldBe(2);

        b.Dispose();
        using var c = _slots.Enter("s3");
        _slots.InProgress.ShouldBe(2);
    }

    [Fact]
    public void Dispose_Twice_ReleasesOnce()
    {
        var lease = _slots.Enter("s1");
        using var other = _slots.Enter("s2");

        lease.Dispose();
        lease.Dispose();

        _slots.InProgress.ShouldBe(1);
        Should.Throw<WorkspaceUploadBusyException>(() => _slots.Enter("s2"));
    }
}
