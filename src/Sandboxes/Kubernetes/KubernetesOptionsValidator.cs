using k8s.Models;
using Microsoft.Extensions.Options;

namespace RemoltBlazor.Sandboxes.Kubernetes;

/// <summary>Checks every Kubernetes setting and reports all problems at once, so a bad deployment is fixed in one go.</summary>
internal sealed class KubernetesOptionsValidator : IValidateOptions<KubernetesOptions>
{
    private static readonly string[] s_pullPolicies = ["Always", "IfNotPresent", "Never"];

    public ValidateOptionsResult Validate(string? name, KubernetesOptions options)
    {
        var errors = new List<string>();
        if (options.Namespace is { Length: > 0 } ns && !KubernetesNames.IsValidName(ns))
        {
            errors.Add($"REMOLT_NAMESPACE '{ns}' is not a namespace name (lowercase letters, digits and '-', at most 63, starting and ending alphanumeric).");
        }

        if (options.PodStartTimeoutSeconds is < 5 or > 3600)
        {
            errors.Add($"REMOLT_K8S_POD_START_TIMEOUT is {options.PodStartTimeoutSeconds}; it must be between 5 and 3600 seconds.");
        }

        if (!IsQuantity(options.WorkspaceSize))
        {
            errors.Add($"REMOLT_K8S_WORKSPACE_SIZE '{options.WorkspaceSize}' is not a Kubernetes quantity such as 10Gi.");
        }

        if (!s_pullPolicies.Contains(options.ImagePullPolicy, StringComparer.Ordinal))
        {
            errors.Add($"REMOLT_K8S_IMAGE_PULL_POLICY '{options.ImagePullPolicy}' must be Always, IfNotPresent or Never.");
        }

        var pairs = options.ServerSelector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (pairs.Length == 0 || pairs.Any(pair => pair.Split('=', 2) is not [{ Length: > 0 }, var value] || !KubernetesNames.IsValidLabelValue(value.Trim())))
        {
            errors.Add($"REMOLT_K8S_SERVER_SELECTOR '{options.ServerSelector}' must be key=value pairs separated by commas, such as app.kubernetes.io/name=remolt-server.");
        }

        if (options.RuntimeClass is { Length: > 0 } runtimeClass && !runtimeClass.Split('.').All(KubernetesNames.IsValidName))
        {
            errors.Add($"REMOLT_K8S_RUNTIME_CLASS '{runtimeClass}' is not a RuntimeClass name.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsQuantity(string text)
    {
        try
        {
            return new ResourceQuantity(text).ToDecimal() > 0;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
        {
            return false;
        }
    }
}
