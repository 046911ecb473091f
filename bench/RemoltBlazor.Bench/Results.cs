namespace RemoltBlazor.Bench;

internal sealed record BenchResult(
    DateTimeOffset StartedAt,
    double DurationSeconds,
    EnvironmentInfo Environment,
    TerminalSetup Setup,
    IReadOnlyList<ThroughputResult> Throughput,
    IReadOnlyList<EchoResult> Echo,
    Targets Targets,
    IReadOnlyList<string> Notes);

internal sealed record EnvironmentInfo(int ProcessorCount, string Os, string Dotnet, string Chromium, string DockerServer, string Image,
    string LoadAverageBefore, string LoadAverageAfter);

internal sealed record TerminalSetup(
    int Columns, int Rows, long PayloadBytes, string PayloadCommand, long WarmupBytes, int Runs, int Keystrokes, double EchoGapMs,
    string EchoTarget);

/// <param name="TailMs">From the moment `cat` had written the whole payload into the pane to the client seeing the marker.</param>
internal sealed record ThroughputRun(
    double Seconds, double MBps, long BytesSeen, long Chunks, int MaxInFlight, double TailMs, IReadOnlyDictionary<string, double> CpuSeconds);

internal sealed record ThroughputResult(
    string Path, string Method, IReadOnlyList<ThroughputRun> Runs, double MedianSeconds, double MedianMBps, double RatioToBaseline,
    IReadOnlyDictionary<string, double> MedianCpuSeconds);

internal sealed record EchoResult(
    string Path, string Method, int Count, double P50Ms, double P90Ms, double P99Ms, double MeanMs, double MinMs, double MaxMs,
    double P50DiffToBaselineMs, double P99DiffToBaselineMs, IReadOnlyList<double> SamplesMs);

internal sealed record Targets(
    string Throughput, IReadOnlyDictionary<string, bool> ThroughputMet, string Echo, IReadOnlyDictionary<string, bool> EchoMet);
