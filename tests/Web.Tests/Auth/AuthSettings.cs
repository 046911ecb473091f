namespace RemoltBlazor.Web.Tests.Auth;

internal static class AuthSettings
{
    /// <summary>A provider's settings with a test's own on top.</summary>
    public static Dictionary<string, string?> With(Dictionary<string, string?> provider, Dictionary<string, string?>? extra)
    {
        foreach (var (key, value) in extra ?? [])
        {
            provider[key] = value;
        }

        return provider;
    }
}
