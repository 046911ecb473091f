using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RemoltBlazor.Data.Entities;
using RemoltBlazor.Data.Events;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Ownership;

/// <summary>An admin ending a session says why: <c>?note=</c> or <c>{"note": ...}</c>, recorded in <c>session.ended</c>.</summary>
public sealed class AdminEndNoteTests : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private readonly FakeSandboxRuntime _runtime = new();
    private RemoltAppFactory _app = default!;
    private Session _bobs = default!;

    public async Task InitializeAsync()
    {
        _app = new RemoltAppFactory(runtime: _runtime, testUsers: true);
        _bobs = await _app.Sessions.CreateAsync("bob", new CreateSessionRequest("claude-code"), CancellationToken.None).WaitAsync(s_timeout);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Delete_NoteInQuery_RecordedWithReasonAndAdmin()
    {
        using var response = await _app.SendAsAsync("carol", HttpMethod.Delete,
            $"/api/admin/sessions/{_bobs.Id}?note={Uri.EscapeDataString("mining crypto, see ticket 12")}", admin: true);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var fields = await EndedFieldsAsync();
        fields.GetProperty("reason").GetString().ShouldBe("admin");
        fields.GetProperty("by").GetString().ShouldBe("carol");
        fields.GetProperty("note").GetString().ShouldBe("mining crypto, see ticket 12");
    }

    [Fact]
    public async Task Delete_NoteInJsonBody_Recorded()
    {
        using var response = await _app.SendAsAsync("carol", HttpMethod.Delete, $"/api/admin/sessions/{_bobs.Id}",
            JsonContent.Create(new { note = "  idle for a week  " }), admin: true);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await EndedFieldsAsync()).GetProperty("note").GetString().ShouldBe("idle for a week");
    }

    [Fact]
    public async Task Delete_NoNote_NoNoteField()
    {
        using var response = await _app.SendAsAsync("carol", HttpMethod.Delete, $"/api/admin/sessions/{_bobs.Id}", admin: true);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await EndedFieldsAsync()).TryGetProperty("note", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Delete_NoteTooLong_400_SessionKeepsRunning()
    {
        var note = new string('x', SessionManager.MaxAdminNoteLength + 1);

        using var response = await _app.SendAsAsync("carol", HttpMethod.Delete, $"/api/admin/sessions/{_bobs.Id}?note={note}", admin: true);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()
            .ShouldBe($"The note is too long (at most {SessionManager.MaxAdminNoteLength} characters).");
        _bobs.State.ShouldBe(SessionState.Running);
        _runtime.Removes.ShouldBeEmpty();
    }

    [Fact]
    public async Task Delete_MalformedJsonBody_400_SessionKeepsRunning()
    {
        using var response = await _app.SendAsAsync("carol", HttpMethod.Delete, $"/api/admin/sessions/{_bobs.Id}",
            new StringContent("{\"note\": ", Encoding.UTF8, "application/json"), admin: true);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString().ShouldNotBeNullOrEmpty();
        _bobs.State.ShouldBe(SessionState.Running);
    }

    [Fact]
    public async Task Delete_WithNote_NotAdmin_StillTheUnknownRoute404()
    {
        using var response = await _app.SendAsAsync("bob", HttpMethod.Delete, $"/api/admin/sessions/{_bobs.Id}?note=mine", admin: false);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        _bobs.State.ShouldBe(SessionState.Running);
    }

    private async Task<JsonElement> EndedFieldsAsync()
    {
        var ended = (await _app.Services.GetRequiredService<EventLog>().RecentAsync(10, _bobs.Id)).Single(e => e.Name == "session.ended");
        return JsonDocument.Parse(ended.Fields).RootElement.Clone();
    }
}
