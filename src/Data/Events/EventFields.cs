namespace RemoltBlazor.Data.Events;

/// <summary>Shorthand for building event fields: <c>EventFields.Of(("session_id", id), ("reason", "idle"))</c>.</summary>
public static class EventFields
{
    public static KeyValuePair<string, object?>[] Of(params (string Key, object? Value)[] fields) =>
        Array.ConvertAll(fields, f => new KeyValuePair<string, object?>(f.Key, f.Value));
}
