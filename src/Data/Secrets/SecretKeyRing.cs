using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace RemoltBlazor.Data.Secrets;

/// <summary>
/// The master keys that seal secrets at rest, kept in the data folder as <c>secret-keys</c> (mode 0600): one
/// <c>id:base64</c> line per 256-bit key, the first line the current one. Older keys stay so rows sealed under them can
/// still be opened until a rotation has re-sealed them. Created with one fresh key on first use.
/// </summary>
public sealed class SecretKeyRing
{
    public const string FileName = "secret-keys";
    private const int KeyBytes = 32;

    private readonly string _path;
    private readonly Lock _lock = new();
    private IReadOnlyList<(string Id, byte[] Key)> _keys;

    public SecretKeyRing(IOptions<DataOptions> options)
    {
        var folder = Path.GetDirectoryName(options.Value.DatabasePath)!;
        Directory.CreateDirectory(folder);
        _path = Path.Combine(folder, FileName);
        _keys = File.Exists(_path) ? Parse(File.ReadAllLines(_path), _path) : [];
        if (_keys.Count == 0)
        {
            _keys = [NewKey()];
            Save();
        }
    }

    /// <summary>The id of the key new secrets are sealed under.</summary>
    public string CurrentId
    {
        get { lock (_lock) { return _keys[0].Id; } }
    }

    public IReadOnlyList<string> Ids
    {
        get { lock (_lock) { return [.. _keys.Select(k => k.Id)]; } }
    }

    internal (string Id, byte[] Key) Current
    {
        get { lock (_lock) { return _keys[0]; } }
    }

    internal byte[]? Find(string id)
    {
        lock (_lock)
        {
            return _keys.FirstOrDefault(k => k.Id == id).Key;
        }
    }

    /// <summary>Adds a fresh key in front; it seals everything from now on. Returns its id.</summary>
    public string AddCurrentKey()
    {
        lock (_lock)
        {
            _keys = [NewKey(), .. _keys];
            Save();
            return _keys[0].Id;
        }
    }

    /// <summary>Forgets every key but the current one (after a rotation has re-sealed every row).</summary>
    public void RetireOldKeys()
    {
        lock (_lock)
        {
            _keys = [_keys[0]];
            Save();
        }
    }

    private static (string Id, byte[] Key) NewKey() => (RandomNumberGenerator.GetHexString(8, lowercase: true), RandomNumberGenerator.GetBytes(KeyBytes));

    internal static List<(string Id, byte[] Key)> Parse(string[] lines, string path)
    {
        var keys = new List<(string, byte[])>();
        foreach (var line in lines.Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            byte[] key;
            try
            {
                key = colon > 0 ? Convert.FromBase64String(line[(colon + 1)..]) : [];
            }
            catch (FormatException)
            {
                key = [];
            }

            if (key.Length != KeyBytes)
            {
                throw new InvalidOperationException($"{path} holds a line that is not 'id:base64 of {KeyBytes} bytes'; fix or restore the file (secrets sealed under it cannot be opened without it).");
            }

            keys.Add((line[..colon], key));
        }

        return keys;
    }

    private void Save()
    {
        var temp = _path + ".tmp";
        File.Delete(temp);
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(temp, create))
        using (var writer = new StreamWriter(file))
        {
            foreach (var (id, key) in _keys)
            {
                writer.WriteLine($"{id}:{Convert.ToBase64String(key)}");
            }
        }

        File.Move(temp, _path, overwrite: true);
    }
}
