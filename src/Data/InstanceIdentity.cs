using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace RemoltBlazor.Data;

/// <summary>
/// A stable id for this app instance, kept in its data folder (<c>instance-id</c>): it survives restarts with the
/// database, and two instances with different data folders never claim each other's sandboxes.
/// </summary>
public sealed class InstanceIdentity
{
    private const string FileName = "instance-id";

    public InstanceIdentity(IOptions<DataOptions> options)
    {
        var folder = Path.GetDirectoryName(options.Value.DatabasePath)!;
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: >= 8 } existing)
        {
            Id = existing;
            return;
        }

        Id = "i" + RandomNumberGenerator.GetHexString(15, lowercase: true);
        var temp = path + ".tmp";
        File.WriteAllText(temp, Id);
        File.Move(temp, path, overwrite: true);
    }

    public string Id { get; }
}
