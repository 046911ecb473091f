using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using RemoltBlazor.Data;

namespace RemoltBlazor.Web.Auth;

/// <summary>
/// The <c>token</c> mode's secret, like Jupyter's: random, kept in the data folder as <c>login-token</c> (mode 0600) so
/// it survives restarts, and exchanged for the cookie at <c>/auth/token</c>. Delete the file to change it.
/// </summary>
internal sealed class LoginToken(IOptions<DataOptions> data)
{
    public const string FileName = "login-token";

    private readonly Lazy<string> _value = new(() => LoadOrCreate(Path.Combine(Path.GetDirectoryName(data.Value.DatabasePath)!, FileName)));

    public string Value => _value.Value;

    /// <summary>Constant-time comparison, so the answer's timing says nothing about how much of a guess was right.</summary>
    public bool Matches(string? candidate) =>
        candidate is not null
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(candidate)), SHA256.HashData(Encoding.UTF8.GetBytes(Value)));

    private static string LoadOrCreate(string path)
    {
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: >= 16 } existing)
        {
            return existing;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(new FileStream(path, create)))
        {
            writer.WriteLine(token);
        }

        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies only to a new file; an existing (empty) one keeps its mode otherwise.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return token;
    }
}
