using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Tests.Runtime;

public sealed class TerminalSizeTests
{
    [Theory]
    [InlineData(132, 43, 132, 43)]
    [InlineData(0, 0, TerminalSize.MinColumns, TerminalSize.MinRows)]
    [InlineData(-5, -5, TerminalSize.MinColumns, TerminalSize.MinRows)]
    [InlineData(1_000_000, 1_000_000, TerminalSize.MaxColumns, TerminalSize.MaxRows)]
    [InlineData(int.MaxValue, int.MinValue, TerminalSize.MaxColumns, TerminalSize.MinRows)]
    public void Constructor_AnySize_ClampsToWhatATtyAccepts(int columns, int rows, int expectedColumns, int expectedRows)
    {
        var size = new TerminalSize(columns, rows);

        (size.Columns, size.Rows).ShouldBe((expectedColumns, expectedRows));
    }

    [Fact]
    public void AttachOptions_WindowOnly_UseTheOriginalsDefaultSize()
    {
        new TerminalAttachOptions(3).ShouldBe(new TerminalAttachOptions(3, new TerminalSize(120, 30)));
    }
}
