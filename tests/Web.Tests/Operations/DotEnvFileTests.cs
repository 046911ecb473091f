using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Operations;

namespace RemoltBlazor.Web.Tests.Operations;

/// <summary>The <c>.env</c> file: python-dotenv's rules, the environment wins, and errors that never echo a value.</summary>
public sealed class DotEnvFileTests
{
    [Fact]
    public void Parse_CommentsQuotesExportAndBlankLines_ReadsEveryAssignment()
    {
        var parsed = DotEnvFile.Parse("""
            # a comment

            PLAIN=value
            export EXPORTED=yes
            SPACED = padded value   # trailing comment
            HASH=a#b
            DOUBLE="two words # not a comment"
            ESCAPED="line1\nline2 \"quoted\" back\\slash"
            SINGLE='literal $HOME \n'
            EMPTY=
            EMPTY_QUOTED=""
            """, ".env");

        parsed.Select(p => p.Key).ShouldBe(["PLAIN", "EXPORTED", "SPACED", "HASH", "DOUBLE", "ESCAPED", "SINGLE", "EMPTY", "EMPTY_QUOTED"]);
        parsed.ToDictionary(p => p.Key, p => p.Value).ShouldBe(new Dictionary<string, string>
        {
            ["PLAIN"] = "value",
            ["EXPORTED"] = "yes",
            ["SPACED"] = "padded value",
            ["HASH"] = "a#b",
            ["DOUBLE"] = "two words # not a comment",
            ["ESCAPED"] = "line1\nline2 \"quoted\" back\\slash",
            ["SINGLE"] = "literal $HOME \\n",
            ["EMPTY"] = "",
            ["EMPTY_QUOTED"] = "",
        });
    }

    [Theory]
    [InlineData("OK=1\nthis line has no equals sign s3cr3t-value", 2)]
    [InlineData("OK=1\nOK2=2\n1BAD=s3cr3t-value", 3)]
    [InlineData("TOKEN=\"s3cr3t-value", 1)]
    [InlineData("TOKEN='s3cr3t-value' extra", 1)]
    public void Parse_MalformedLine_NamesTheLineButNeverTheValue(string text, int line)
    {
        var error = Should.Throw<DotEnvException>(() => DotEnvFile.Parse(text, "/srv/remolt/.env"));

        error.Message.ShouldStartWith($"/srv/remolt/.env, line {line}: ");
        error.Message.ShouldNotContain("s3cr3t");
    }

    [Fact]
    public void Load_VariableAlreadyInEnvironment_EnvironmentWinsAndTheFileFillsTheRest()
    {
        var folder = TestDataFolder.Create("remolt-dotenv-tests");
        var suffix = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var real = $"REMOLT_DOTENV_REAL_{suffix}";
        var filled = $"REMOLT_DOTENV_FILLED_{suffix}";
        try
        {
            File.WriteAllText(Path.Combine(folder, ".env"), $"{real}=from-file\n{filled}=\"from file\"\n");
            Environment.SetEnvironmentVariable(real, "from-environment");

            var set = DotEnvFile.Load(configured: null, folder);

            Environment.GetEnvironmentVariable(real).ShouldBe("from-environment");
            Environment.GetEnvironmentVariable(filled).ShouldBe("from file");
            set.ShouldBe([filled]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(real, null);
            Environment.SetEnvironmentVariable(filled, null);
            TestDataFolder.Delete(folder);
        }
    }

    [Fact]
    public void Load_NoFileInWorkingDirectory_SetsNothing() =>
        DotEnvFile.Load(configured: null, Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))).ShouldBeEmpty();

    [Fact]
    public void Load_ConfiguredFileMissing_SaysWhich()
    {
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "prod.env");

        Should.Throw<DotEnvException>(() => DotEnvFile.Load(missing, Environment.CurrentDirectory)).Message
            .ShouldBe($"REMOLT_ENV_FILE names '{missing}', which does not exist.");
    }
}
