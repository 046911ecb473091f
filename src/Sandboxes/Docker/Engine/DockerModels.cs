using System.Text.Json.Serialization;

namespace RemoltBlazor.Sandboxes.Docker.Engine;

// Wire shapes of the Docker Engine API (https://docs.docker.com/reference/api/engine/version/v1.43/), only the
// fields this app reads or writes. The engine's JSON is PascalCase, which matches the property names as they are.

internal sealed record DockerErrorResponse([property: JsonPropertyName("message")] string? Message);

internal sealed record DockerIdResponse(string Id);

internal sealed record DockerVersionResponse(
    string Version,
    string ApiVersion,
    string? MinAPIVersion,
    string? Os,
    string? Arch,
    string? KernelVersion);

internal sealed record DockerImageInspect(string Id, IReadOnlyList<string>? RepoTags);

internal sealed record DockerIpamConfig(string? Subnet, string? Gateway);

internal sealed record DockerIpam(string? Driver, IReadOnlyList<DockerIpamConfig>? Config);

internal sealed record DockerNetworkCreateRequest(
    string Name,
    string Driver,
    // Engines before API 1.44 allow two networks with one name unless asked not to.
    bool CheckDuplicate,
    DockerIpam IPAM,
    IReadOnlyDictionary<string, string> Labels);

internal sealed record DockerNetworkSummary(
    string Id,
    string Name,
    string? Driver,
    DockerIpam? IPAM,
    IReadOnlyDictionary<string, string>? Labels);

internal sealed record DockerHostConfig(
    bool Init,
    string NetworkMode,
    long Memory,
    long MemorySwap,
    long NanoCpus,
    long PidsLimit,
    IReadOnlyList<string>? SecurityOpt);

internal sealed record DockerContainerCreateRequest(
    string Image,
    string User,
    IReadOnlyList<string> Env,
    IReadOnlyList<string> Cmd,
    IReadOnlyDictionary<string, string> Labels,
    bool Tty,
    DockerHostConfig HostConfig);

internal sealed record DockerContainerState(string? Status, bool Running, int ExitCode);

internal sealed record DockerContainerConfig(string? Image, IReadOnlyDictionary<string, string>? Labels);

internal sealed record DockerContainerInspect(string Id, string Name, DockerContainerState State, DockerContainerConfig Config);

internal sealed record DockerContainerSummary(
    string Id,
    IReadOnlyList<string>? Names,
    string? Image,
    IReadOnlyDictionary<string, string>? Labels,
    string? State,
    string? Status);

internal sealed record DockerExecCreateRequest(
    IReadOnlyList<string> Cmd,
    bool AttachStdin,
    bool AttachStdout,
    bool AttachStderr,
    bool Tty,
    string? User,
    IReadOnlyList<string>? Env,
    string? DetachKeys,
    // Explicit: the image's WORKDIR (~/workspace) is the default, and a user who deletes it would make every exec
    // (terminals, transfers) fail to start.
    string? WorkingDir = DockerExecCreateRequest.HomeDirectory)
{
    public const string HomeDirectory = "/home/dev";
}

internal sealed record DockerExecStartRequest(bool Detach, bool Tty);

internal sealed record DockerExecInspect(string ID, bool Running, int? ExitCode, int Pid);

[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DockerErrorResponse))]
[JsonSerializable(typeof(DockerIdResponse))]
[JsonSerializable(typeof(DockerVersionResponse))]
[JsonSerializable(typeof(DockerImageInspect))]
[JsonSerializable(typeof(DockerNetworkCreateRequest))]
[JsonSerializable(typeof(IReadOnlyList<DockerNetworkSummary>))]
[JsonSerializable(typeof(DockerContainerCreateRequest))]
[JsonSerializable(typeof(DockerContainerInspect))]
[JsonSerializable(typeof(IReadOnlyList<DockerContainerSummary>))]
[JsonSerializable(typeof(DockerExecCreateRequest))]
[JsonSerializable(typeof(DockerExecStartRequest))]
[JsonSerializable(typeof(DockerExecInspect))]
[JsonSerializable(typeof(Dictionary<string, string[]>))]
internal sealed partial class DockerJsonContext : JsonSerializerContext;
