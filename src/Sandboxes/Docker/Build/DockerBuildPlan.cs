namespace RemoltBlazor.Sandboxes.Docker.Build;

/// <summary>
/// What a Docker preparation builds: the sandbox base (<c>REMOLT_SANDBOX_IMAGE</c>, default <c>remolt-sandbox</c>)
/// when its hash is not the one its inputs give, then the agent's own image on it unless the agent runs the base
/// itself. The agent's hash depends on the base's id, so it is known only once the base is up to date.
/// </summary>
internal sealed record DockerBuildPlan(
    string BaseImage,
    string From,
    string CodeServer,
    byte[] ExtraCa,
    string BaseHash,
    bool BuildBase,
    DockerAgentBuild? Agent)
{
    public const string CodeServerSource = "release";
}

/// <summary>The agent's image: its name, id, install command and the files its hash covers.</summary>
internal sealed record DockerAgentBuild(string Image, string AgentId, string Install, byte[] AgentJson, byte[] InstallScript)
{
    public string Hash(string baseImageId) =>
        SandboxBuildFiles.AgentHash(SandboxBuildFiles.Read(SandboxBuildFiles.AgentDockerfile), AgentJson, InstallScript, baseImageId);
}
