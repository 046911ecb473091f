using System.Net;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Docker.Engine;

/// <summary>The engine answered with an error status. <see cref="EngineMessage"/> is its <c>{"message": ...}</c>.</summary>
internal class DockerApiException : SandboxRuntimeException
{
    public DockerApiException(HttpStatusCode status, string engineMessage, string operation)
        : base($"Docker {operation} failed ({(int)status}): {engineMessage}")
    {
        Status = status;
        EngineMessage = engineMessage;
    }

    public HttpStatusCode Status { get; }

    public string EngineMessage { get; }
}

/// <summary>404: no such container, image, network or exec.</summary>
internal sealed class DockerNotFoundException : DockerApiException
{
    public DockerNotFoundException(string engineMessage, string operation)
        : base(HttpStatusCode.NotFound, engineMessage, operation) { }
}

/// <summary>409: a name is taken, or the object is in a state that forbids the call.</summary>
internal sealed class DockerConflictException : DockerApiException
{
    public DockerConflictException(string engineMessage, string operation)
        : base(HttpStatusCode.Conflict, engineMessage, operation) { }
}
