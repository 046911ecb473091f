using RemoltBlazor.Web.Components.Pages.Admin;

namespace RemoltBlazor.Web.Tests.Admin;

public sealed class EventDetailsTests
{
    [Fact]
    public void Text_FieldsButTheSessionId_InOrder()
    {
        EventDetails.Text("""{"session_id":"abc","reason":"admin","by":"carol","duration_s":12,"has_repo":false}""")
            .ShouldBe("reason=admin by=carol duration_s=12 has_repo=false");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    public void Text_NotAnObject_ShownAsItIs(string fields) => EventDetails.Text(fields).ShouldBe(fields);
}
