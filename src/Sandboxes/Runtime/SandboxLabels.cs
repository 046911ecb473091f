namespace RemoltBlazor.Sandboxes.Runtime;

/// <summary>Labels every runtime puts on what it creates, so the reconciler can find them after a restart.</summary>
public static class SandboxLabels
{
    public const string Managed = "remolt.managed";
    public const string SessionId = "remolt.session-id";
    public const string Owner = "remolt.owner";
    public const string Agent = "remolt.agent";
}
