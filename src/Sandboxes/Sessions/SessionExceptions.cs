namespace RemoltBlazor.Sandboxes.Sessions;

/// <summary>Base of the errors a session operation reports to its caller; the Web layer maps each to an HTTP status.</summary>
public abstract class SessionException : Exception
{
    protected SessionException(string message) : base(message) { }

    protected SessionException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>404 "Session not found": also someone else's session, so an id cannot be probed.</summary>
public sealed class SessionNotFoundException : SessionException
{
    public SessionNotFoundException() : base("Session not found") { }
}

/// <summary>429: a global or per-user limit is reached.</summary>
public sealed class SessionLimitException : SessionException
{
    public SessionLimitException(string message) : base(message) { }
}

/// <summary>400: the request names something that does not exist (an unknown agent) or is malformed.</summary>
public sealed class SessionRequestException : SessionException
{
    public SessionRequestException(string message) : base(message) { }
}

/// <summary>503: no sandbox runtime is available on this machine.</summary>
public sealed class SessionRuntimeUnavailableException : SessionException
{
    public SessionRuntimeUnavailableException(string message, Exception? inner = null) : base(message, inner ?? new InvalidOperationException(message)) { }
}

/// <summary>500: the runtime failed to create the sandbox; nothing was left behind.</summary>
public sealed class SessionCreateException : SessionException
{
    public SessionCreateException(string message, Exception inner) : base(message, inner) { }
}
