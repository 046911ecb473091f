namespace RemoltBlazor.Data.Events;

/// <summary>
/// A filter over the event store for the admin page; every part is optional and they combine with AND.
/// </summary>
/// <param name="Type">An event name (<c>session.ended</c>) or a prefix of one (<c>session.</c>, <c>session</c>):
/// matches the name itself and every name below it, so <c>session</c> finds <c>session.created</c> but not <c>sessions</c>.</param>
/// <param name="User">A login: events that name it (<c>user</c>, <c>owner</c>, <c>by</c>, <c>login</c>) and events of sessions it owns.</param>
/// <param name="SessionId">One session's events.</param>
/// <param name="Count">How many of the newest to return, clamped to 1..<see cref="MaxCount"/>.</param>
public sealed record EventQuery(string? Type = null, string? User = null, string? SessionId = null, int Count = EventQuery.DefaultCount)
{
    public const int DefaultCount = 100;
    public const int MaxCount = 500;
}
