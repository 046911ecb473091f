using RemoltBlazor.Sandboxes.Images;

namespace RemoltBlazor.Sandboxes.Tests.Local.Tools;

/// <summary>What a build reported: its steps in order and every output line.</summary>
internal sealed class RecordingReporter : IImageBuildReporter
{
    private readonly Lock _gate = new();
    private readonly List<string> _steps = [];
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Steps
    {
        get
        {
            lock (_gate)
            {
                return [.. _steps];
            }
        }
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public void SetTotal(int steps)
    {
    }

    public void BeginStep(int index, string text)
    {
        lock (_gate)
        {
            _steps.Add($"{index}: {text}");
        }
    }

    public void Line(string line)
    {
        lock (_gate)
        {
            _lines.Add(line);
        }
    }
}
