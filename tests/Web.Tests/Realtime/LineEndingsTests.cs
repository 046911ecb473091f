using System.Text;
using RemoltBlazor.Web.Realtime;

namespace RemoltBlazor.Web.Tests.Realtime;

public sealed class LineEndingsTests
{
    [Theory]
    [InlineData("a\nb\n", "a\r\nb\r\n")]
    [InlineData("already\r\n", "already\r\r\n")] // as a TTY's onlcr: every LF, whatever precedes it
    [InlineData("no newline", "no newline")]
    [InlineData("\n\n", "\r\n\r\n")]
    [InlineData("", "")]
    public void ToCrLf_EveryLf_GetsACr(string input, string expected)
    {
        var bytes = Encoding.UTF8.GetBytes(input);
        var output = new byte[bytes.Length * 2];

        var length = LineEndings.ToCrLf(bytes, output);

        Encoding.UTF8.GetString(output, 0, length).ShouldBe(expected);
    }
}
