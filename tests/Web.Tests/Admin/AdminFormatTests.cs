using RemoltBlazor.Web.Components.Pages.Admin;

namespace RemoltBlazor.Web.Tests.Admin;

public sealed class AdminFormatTests
{
    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(-3, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1024, "1 KiB")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(10.4 * 1024 * 1024, "10 MiB")]
    [InlineData(3.5 * 1024 * 1024 * 1024, "3.5 GiB")]
    public void Bytes_BinaryUnits(double bytes, string expected) => AdminFormat.Bytes(bytes).ShouldBe(expected);

    [Theory]
    [InlineData(0.4, "just now")]
    [InlineData(-30, "just now")]
    [InlineData(59, "59 s ago")]
    [InlineData(60, "1 min ago")]
    [InlineData(3599, "59 min ago")]
    [InlineData(86400 * 2.5, "2 d ago")]
    public void Ago_Units(double secondsAgo, string expected)
    {
        var now = DateTimeOffset.UnixEpoch.AddDays(100);
        AdminFormat.Ago(now.AddSeconds(-secondsAgo), now).ShouldBe(expected);
    }

    [Theory]
    [InlineData(0.0, "0.0 %")]
    [InlineData(99.96, "100.0 %")]
    [InlineData(250, "250 %")]
    public void Percent_OneDecimalUnderHundred(double value, string expected) => AdminFormat.Percent(value).ShouldBe(expected);
}
