namespace RemoltBlazor.Sandboxes.Images;

public enum ImageBuildState
{
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>
/// A build as a launch page shows it: steps done out of the total, the current step, the log's last lines and, when it
/// failed, the error and the failing step's output. Holds only build output, never a session's settings or secrets
/// (builds get none), so every launch waiting for the image may see it.
/// </summary>
public sealed record ImageBuildProgress(
    string Image,
    string AgentId,
    ImageBuildState State,
    int StepsDone,
    int StepsTotal,
    string CurrentStep,
    IReadOnlyList<string> LogTail)
{
    public const int TailLines = 20;

    public string? Error { get; init; }

    /// <summary>The failing step's own output (its last lines), when a step failed.</summary>
    public IReadOnlyList<string> FailedStepOutput { get; init; } = [];

    /// <summary>0-100 for a progress bar.</summary>
    public double Percent => StepsTotal <= 0 ? 0 : Math.Clamp(100.0 * StepsDone / StepsTotal, 0, 100);

    public bool IsFinished => State != ImageBuildState.Running;
}
