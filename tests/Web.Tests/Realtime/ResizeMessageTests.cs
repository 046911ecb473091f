using System.Text;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Web.Realtime;

namespace RemoltBlazor.Web.Tests.Realtime;

public sealed class ResizeMessageTests
{
    [Theory]
    [InlineData("""{"type":"resize","cols":100,"rows":40}""", 100, 40)]
    [InlineData("""{"type":"resize"}""", 120, 30)]
    [InlineData("""{"type":"resize","cols":"x","rows":null}""", 120, 30)]
    [InlineData("""{"type":"resize","cols":1e300,"rows":-1e300}""", TerminalSize.MaxColumns, TerminalSize.MinRows)]
    [InlineData("""{"type":"resize","cols":0,"rows":100000}""", TerminalSize.MinColumns, TerminalSize.MaxRows)]
    public void TryParse_ResizeMessage_ReadsSizeClampedOrOriginalDefaults(string json, int cols, int rows)
    {
        ResizeMessage.TryParse(Encoding.UTF8.GetBytes(json), out var size).ShouldBeTrue();

        (size.Columns, size.Rows).ShouldBe((cols, rows));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"type":"input","data":"x"}""")]
    [InlineData("[]")]
    [InlineData("")]
    public void TryParse_AnythingElse_IsIgnored(string text)
    {
        ResizeMessage.TryParse(Encoding.UTF8.GetBytes(text), out _).ShouldBeFalse();
    }

    [Fact]
    public void TryParse_OverLengthCap_IsIgnored()
    {
        var json = $$"""{"type":"resize","cols":80,"rows":24,"pad":"{{new string('x', ResizeMessage.MaxLength)}}"}""";

        ResizeMessage.TryParse(Encoding.UTF8.GetBytes(json), out _).ShouldBeFalse();
    }
}
