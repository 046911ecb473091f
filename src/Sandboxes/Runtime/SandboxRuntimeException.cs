namespace RemoltBlazor.Sandboxes.Runtime;

/// <summary>The runtime could not do what was asked (daemon down, image missing, sandbox gone).</summary>
public class SandboxRuntimeException : Exception
{
    public SandboxRuntimeException(string message) : base(message) { }

    public SandboxRuntimeException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The sandbox does not exist (any more).</summary>
public sealed class SandboxNotFoundException : SandboxRuntimeException
{
    public SandboxNotFoundException(string message) : base(message) { }

    public SandboxNotFoundException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The runtime itself does not answer (Docker socket missing, daemon stopped).</summary>
public sealed class SandboxRuntimeUnavailableException : SandboxRuntimeException
{
    public SandboxRuntimeUnavailableException(string message) : base(message) { }

    public SandboxRuntimeUnavailableException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>Nothing listens on the port inside the sandbox (yet): a dashboard still starting, a dev server not started.</summary>
public sealed class SandboxPortClosedException : SandboxRuntimeException
{
    public SandboxPortClosedException(string message) : base(message) { }
}
