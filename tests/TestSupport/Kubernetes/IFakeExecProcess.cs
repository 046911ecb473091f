namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>A command running for one exec: its output, stdin, terminal size and exit code.</summary>
internal interface IFakeExecProcess : IAsyncDisposable
{
    /// <summary>Sends everything the command writes, as (1 stdout | 2 stderr, bytes), until its output ends.</summary>
    Task CopyOutputAsync(Func<byte, ReadOnlyMemory<byte>, Task> send, CancellationToken cancellationToken);

    Task WriteInputAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>The half-close a v5 client asks for with <c>[255, 0]</c>: the command sees end of input.</summary>
    void CloseInput();

    Task ResizeAsync(int width, int height, CancellationToken cancellationToken);

    Task<int> WaitForExitAsync(CancellationToken cancellationToken);
}
