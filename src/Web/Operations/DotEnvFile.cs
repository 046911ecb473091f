using System.Text;
using System.Text.RegularExpressions;

namespace RemoltBlazor.Web.Operations;

/// <summary>
/// Reads a <c>.env</c> file into the process environment before configuration is built, as the original did with
/// python-dotenv: a variable already set in the real environment wins (the file only fills gaps). The file is the
/// working directory's <c>.env</c>, or the one <c>REMOLT_ENV_FILE</c> names (which must then exist). Lines:
/// <c>KEY=value</c>, optionally after <c>export </c>; blank lines and <c># comments</c>; values unquoted (an inline
/// <c> #</c> starts a comment), 'single-quoted' (literal) or "double-quoted" (<c>\n</c>, <c>\"</c>, <c>\\</c> escapes).
/// A line it cannot read stops the start with its line number; the value is never repeated: it may be a secret.
/// Written here rather than with dotenv.net so that both rules (the environment wins; errors name the line, never
/// the value) are this code's own and tested here.
/// </summary>
internal static partial class DotEnvFile
{
    public const string PathVariable = "REMOLT_ENV_FILE";

    /// <summary>Loads the working directory's <c>.env</c> or the one <c>REMOLT_ENV_FILE</c> names; returns the variables it set (names only).</summary>
    public static IReadOnlyList<string> Load() => Load(Environment.GetEnvironmentVariable(PathVariable), Environment.CurrentDirectory);

    /// <param name="configured">An explicit file (must exist), or null for <paramref name="workingDirectory"/>'s <c>.env</c> (may be missing).</param>
    public static IReadOnlyList<string> Load(string? configured, string workingDirectory)
    {
        var path = string.IsNullOrWhiteSpace(configured) ? Path.Combine(workingDirectory, ".env") : configured;
        if (!File.Exists(path))
        {
            return configured is { Length: > 0 }
                ? throw new DotEnvException($"{PathVariable} names '{path}', which does not exist.")
                : [];
        }

        var set = new List<string>();
        foreach (var (key, value) in Parse(File.ReadAllText(path), path))
        {
            if (Environment.GetEnvironmentVariable(key) is null)
            {
                Environment.SetEnvironmentVariable(key, value);
                set.Add(key);
            }
        }

        return set;
    }

    /// <summary>The file's assignments in order; <paramref name="source"/> names the file in errors.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string text, string source)
    {
        var result = new List<KeyValuePair<string, string>>();
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var match = Assignment().Match(line);
            if (!match.Success)
            {
                throw new DotEnvException($"{source}, line {i + 1}: expected KEY=value (a name of letters, digits and '_', then '=').");
            }

            var value = ReadValue(match.Groups["value"].Value)
                ?? throw new DotEnvException($"{source}, line {i + 1}: the value's quotes are not closed, or text follows the closing quote.");
            result.Add(new(match.Groups["key"].Value, value));
        }

        return result;
    }

    /// <summary>The value as written after '='; null when its quoting is broken.</summary>
    private static string? ReadValue(string raw)
    {
        raw = raw.Trim();
        if (raw.Length == 0)
        {
            return "";
        }

        if (raw[0] == '\'')
        {
            var end = raw.IndexOf('\'', 1);
            return end > 0 && IsBlankOrComment(raw[(end + 1)..]) ? raw[1..end] : null;
        }

        if (raw[0] == '"')
        {
            var value = new StringBuilder();
            for (var i = 1; i < raw.Length; i++)
            {
                var c = raw[i];
                if (c == '"')
                {
                    return IsBlankOrComment(raw[(i + 1)..]) ? value.ToString() : null;
                }

                if (c == '\\' && i + 1 < raw.Length)
                {
                    i++;
                    value.Append(raw[i] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', var other => other });
                    continue;
                }

                value.Append(c);
            }

            return null;
        }

        var comment = raw.IndexOf(" #", StringComparison.Ordinal);
        return (comment >= 0 ? raw[..comment] : raw).TrimEnd();
    }

    private static bool IsBlankOrComment(string rest) => rest.Trim() is "" or ['#', ..];

    [GeneratedRegex(@"^(?:export\s+)?(?<key>[A-Za-z_][A-Za-z0-9_.]*)\s*=(?<value>.*)$")]
    private static partial Regex Assignment();
}

/// <summary>A <c>.env</c> file that cannot be read; the message names the file and line, never a value.</summary>
internal sealed class DotEnvException(string message) : Exception(message);
