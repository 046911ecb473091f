using Microsoft.Extensions.Options;

namespace RemoltBlazor.Sandboxes.Workspace;

/// <summary>
/// Uploads in progress: one per session at a time (two archives extracting into one workspace at once would
/// interleave), and at most <see cref="WorkspaceOptions.MaxConcurrentUploads"/> across the server, because each is
/// staged in the temp folder (up to REMOLT_MAX_UPLOAD_BYTES) and validated with a core's worth of CPU.
/// </summary>
public sealed class WorkspaceUploadSlots(IOptions<WorkspaceOptions> options)
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _sessions = new(StringComparer.Ordinal);

    public int InProgress
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>Takes the session's slot until the lease is disposed; throws <see cref="WorkspaceUploadBusyException"/> when none is free.</summary>
    public IDisposable Enter(string sessionId)
    {
        var max = options.Value.MaxConcurrentUploads;
        lock (_gate)
        {
            if (_sessions.Contains(sessionId))
            {
                throw new WorkspaceUploadBusyException("An upload to this session is already in progress; try again when it has finished.");
            }

            if (_sessions.Count >= max)
            {
                throw new WorkspaceUploadBusyException($"Too many uploads in progress (at most {max}); try again in a moment.");
            }

            _sessions.Add(sessionId);
        }

        return new Lease(this, sessionId);
    }

    private void Leave(string sessionId)
    {
        lock (_gate)
        {
            _sessions.Remove(sessionId);
        }
    }

    private sealed class Lease(WorkspaceUploadSlots slots, string sessionId) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                slots.Leave(sessionId);
            }
        }
    }
}
