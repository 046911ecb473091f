namespace RemoltBlazor.Sandboxes.Images;

/// <summary>A sandbox image could not be built: the step that failed and the tail of its output.</summary>
public class ImageBuildException : Exception
{
    public ImageBuildException(string message, string? step = null, IReadOnlyList<string>? output = null, Exception? inner = null)
        : base(message, inner)
    {
        Step = step;
        Output = output ?? [];
    }

    /// <summary>The failing step's text (e.g. <c>Step 5/9 : RUN ...</c>), if a step failed.</summary>
    public string? Step { get; }

    /// <summary>The last lines the failing step printed.</summary>
    public IReadOnlyList<string> Output { get; }
}

/// <summary>The build was cancelled (its Cancel button, or every launch waiting for it gave up).</summary>
public sealed class ImageBuildCancelledException(string image)
    : ImageBuildException($"The build of the sandbox image '{image}' was cancelled.");
