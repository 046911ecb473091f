using System.Globalization;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>Kubernetes resource quantities (<c>500m</c>, <c>2</c>, <c>512Mi</c>, <c>1G</c>, <c>1e3</c>) as plain numbers.</summary>
public static class FakeQuantity
{
    private static readonly (string Suffix, decimal Factor)[] s_suffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
        ("Pi", 1024m * 1024 * 1024 * 1024 * 1024), ("Ei", 1024m * 1024 * 1024 * 1024 * 1024 * 1024),
        ("n", 0.000000001m), ("u", 0.000001m), ("m", 0.001m), ("k", 1e3m), ("M", 1e6m), ("G", 1e9m), ("T", 1e12m), ("P", 1e15m), ("E", 1e18m),
    ];

    /// <exception cref="FormatException">Not a quantity.</exception>
    public static decimal Parse(string quantity)
    {
        foreach (var (suffix, factor) in s_suffixes)
        {
            if (quantity.EndsWith(suffix, StringComparison.Ordinal)
                && decimal.TryParse(quantity[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return number * factor;
            }
        }

        return decimal.TryParse(quantity, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain)
            ? plain
            : throw new FormatException($"quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' (got \"{quantity}\")");
    }
}
