namespace RemoltBlazor.Sandboxes.Runtime;

/// <summary>Labels every runtime puts on what it creates, so the reconciler can find them after a restart.</summary>
public static class SandboxLabels
{
    public const string Managed = "remolt.managed";
    public const string SessionId = "remolt.session-id";
    public const string Owner = "remolt.owner";
    public const string Agent = "remolt.agent";

    /// <summary>
    /// Which app instance (data folder) created the sandbox. Several instances may share one engine (tests, a
    /// staging and a production server): each reconciles only its own sandboxes.
    /// </summary>
    public const string Instance = "remolt.instance";
}
