using Microsoft.Extensions.Options;

namespace RemoltBlazor.Sandboxes.Local;

/// <summary>Every wrong local runtime setting, listed at once on start.</summary>
internal sealed class LocalOptionsValidator : IValidateOptions<LocalOptions>
{
    public ValidateOptionsResult Validate(string? name, LocalOptions options)
    {
        var errors = new List<string>();
        if (!string.Equals(options.Network, LocalOptions.HostNetwork, StringComparison.OrdinalIgnoreCase) && !options.IsolatedNetwork)
        {
            errors.Add($"REMOLT_LOCAL_NETWORK must be '{LocalOptions.HostNetwork}' or '{LocalOptions.NoNetwork}', not '{options.Network}'.");
        }

        if (options.MemoryMb < 64)
        {
            errors.Add($"REMOLT_LOCAL_MEMORY_MB must be at least 64, not {options.MemoryMb}.");
        }

        if (options.Cpus <= 0 || double.IsNaN(options.Cpus))
        {
            errors.Add($"REMOLT_LOCAL_CPUS must be more than 0, not {options.Cpus}.");
        }

        if (options.PidsLimit < 16)
        {
            errors.Add($"REMOLT_LOCAL_PIDS must be at least 16, not {options.PidsLimit}.");
        }

        if (options.Uid <= 0)
        {
            errors.Add($"REMOLT_LOCAL_UID must be an unprivileged uid (above 0), not {options.Uid}.");
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add("REMOLT_DATA_DIR must name a folder.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
