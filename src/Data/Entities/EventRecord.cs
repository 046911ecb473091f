namespace RemoltBlazor.Data.Entities;

/// <summary>One emitted event, as also written to stdout and the JSON lines file.</summary>
public sealed class EventRecord
{
    public long Id { get; set; }

    public DateTimeOffset Timestamp { get; set; }

    public required string Name { get; set; }

    public string? SessionId { get; set; }

    /// <summary>The event's fields as a JSON object (never secrets).</summary>
    public required string Fields { get; set; }
}
