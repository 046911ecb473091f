namespace RemoltBlazor.Web.Components.Controls;

/// <summary>
/// Delays between reconnect attempts: 1, 2, 4, 8, 16 s, then every 16 s for as long as it takes. Reset once an
/// attach succeeds.
/// </summary>
public sealed class ReconnectBackoff
{
    private static readonly TimeSpan[] s_delays =
        [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(16)];

    public int Attempt { get; private set; }

    public TimeSpan Next() => s_delays[Math.Min(Attempt++, s_delays.Length - 1)];

    public void Reset() => Attempt = 0;
}
