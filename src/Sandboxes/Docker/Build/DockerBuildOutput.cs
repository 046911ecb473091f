using System.Text;
using System.Text.RegularExpressions;
using Docker.DotNet.Models;
using RemoltBlazor.Sandboxes.Images;

namespace RemoltBlazor.Sandboxes.Docker.Build;

/// <summary>
/// Reads the engine's JSON progress of one build (<c>POST /build</c>, the classic builder: <c>{"stream": ...}</c> text
/// in arbitrary chunks, <c>Step N/M : INSTRUCTION</c> lines, <c>{"errorDetail": ...}</c> at a failure) into steps and
/// lines for an <see cref="IImageBuildReporter"/>. Reported synchronously, in order (not through
/// <see cref="Progress{T}"/>, which posts to the thread pool and may reorder).
/// </summary>
internal sealed partial class DockerBuildOutput(IImageBuildReporter reporter, int stepOffset, int stepsAfter) : IProgress<JSONMessage>
{
    private readonly StringBuilder _partial = new();
    private readonly Queue<string> _stepOutput = new();

    /// <summary>The engine's error message, when the build failed.</summary>
    public string? Error { get; private set; }

    /// <summary>The step that ran last (<c>Step N/M : ...</c>), or null before the first.</summary>
    public string? Step { get; private set; }

    public IReadOnlyList<string> StepOutput => [.. _stepOutput];

    public void Report(JSONMessage value)
    {
        if (value.Stream is { Length: > 0 } text)
        {
            _partial.Append(text);
            Drain(final: false);
        }

        if (value.Status is { Length: > 0 } status)
        {
            // Pulls of a FROM image: one line per layer state.
            OnLine(value.ID is { Length: > 0 } id ? $"{id}: {status}" : status);
        }

        if (value.Error?.Message is { Length: > 0 } error)
        {
            Drain(final: true);
            Error = error;
            OnLine(error);
        }
    }

    /// <summary>Whatever text came after the last newline.</summary>
    public void Flush() => Drain(final: true);

    private void Drain(bool final)
    {
        var text = _partial.ToString();
        var lines = text.Split('\n');
        var complete = final ? lines.Length : lines.Length - 1;
        for (var i = 0; i < complete; i++)
        {
            // apt and npm redraw a line with carriage returns: its last state is the line.
            var line = lines[i].Split('\r', StringSplitOptions.RemoveEmptyEntries) is [.., var last] ? last : "";
            if (line.Trim().Length > 0)
            {
                OnLine(line);
            }
        }

        _partial.Clear();
        if (!final)
        {
            _partial.Append(lines[^1]);
        }
    }

    private void OnLine(string line)
    {
        if (StepLine().Match(line) is { Success: true } step)
        {
            var number = int.Parse(step.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture);
            var of = int.Parse(step.Groups[2].ValueSpan, System.Globalization.CultureInfo.InvariantCulture);
            Step = line;
            _stepOutput.Clear();
            reporter.SetTotal(stepOffset + of + stepsAfter);
            // The panel numbers steps over the whole build itself: the instruction is the step's text.
            reporter.BeginStep(stepOffset + number - 1, line[step.Length..]);
            return;
        }

        // The builder's own bookkeeping between steps says nothing a user needs.
        if (line.StartsWith(" ---> ", StringComparison.Ordinal) || line.StartsWith("Removing intermediate container", StringComparison.Ordinal))
        {
            return;
        }

        _stepOutput.Enqueue(line);
        while (_stepOutput.Count > ImageBuildProgress.TailLines)
        {
            _stepOutput.Dequeue();
        }

        reporter.Line(line);
    }

    [GeneratedRegex(@"^Step (\d+)/(\d+) : ")]
    private static partial Regex StepLine();
}
