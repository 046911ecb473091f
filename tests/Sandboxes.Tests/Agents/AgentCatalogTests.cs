using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Agents;

public sealed class AgentCatalogTests : IDisposable
{
    private const string GoodAgent = """{ "id": "good", "name": "Good" }""";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "remolt-agent-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Constructor_RepoAgents_AllLoadWithNoErrors()
    {
        var catalog = Catalog(Path.Combine(SandboxImage.FindRepoRoot(), "agents"));

        catalog.LoadErrors.ShouldBeEmpty();
        catalog.All.Select(a => a.Id).ShouldBe(["claude-code", "codex", "openclaw", "opencode"], ignoreOrder: true);

        AgentOptions.DefaultAgentId.ShouldBe("claude-code");
        var claude = catalog.Find(AgentOptions.DefaultAgentId).ShouldNotBeNull();
        claude.DisplayName.ShouldBe("Claude Code");
        claude.HasDashboard.ShouldBeFalse();
        claude.EnvSchema.ShouldHaveSingleItem().Key.ShouldBe("ANTHROPIC_API_KEY");
        claude.EnvSchema[0].Secret.ShouldBeTrue();

        var openclaw = catalog.Find("openclaw").ShouldNotBeNull();
        openclaw.HasDashboard.ShouldBeTrue();
        var port = openclaw.Ports.ShouldHaveSingleItem();
        port.Port.ShouldBe(18789);
        port.Label.ShouldBe("Dashboard");
        port.AuthToken.ShouldBe("sandbox");
        openclaw.EnvDefaults["OPENCLAW_GATEWAY_PORT"].ShouldBe("18789");
        openclaw.EnvSchema.Select(e => e.Key).ShouldBe(["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "OPENROUTER_API_KEY"]);
        openclaw.Resources.ShouldNotBeNull().Limits.ShouldNotBeNull()["memory"].ShouldBe("4Gi");

        catalog.All.Where(a => a.Id != "openclaw").ShouldAllBe(a => !a.HasDashboard);
    }

    [Theory]
    [InlineData("bad-json", """{ "id": "bad-json", """, "invalid agent definition")]
    [InlineData("unknown-field", """{ "id": "unknown-field", "colour": "red" }""", "colour")]
    [InlineData("unknown-port-field", """{ "id": "unknown-port-field", "ports": [{ "port": 1, "label": "x", "tls": true }] }""", "tls")]
    [InlineData("missing-id", """{ "name": "No id" }""", "'id'")]
    [InlineData("bad-id", """{ "id": "Bad_Id" }""", "field 'id'")]
    [InlineData("bad-port", """{ "id": "bad-port", "ports": [{ "port": 70000, "label": "Dashboard" }] }""", "ports[0].port")]
    [InlineData("port-not-number", """{ "id": "port-not-number", "ports": [{ "port": "abc", "label": "Dashboard" }] }""", "$.ports[0].port")]
    [InlineData("missing-port-label", """{ "id": "missing-port-label", "ports": [{ "port": 8080 }] }""", "label")]
    [InlineData("bad-regex", """{ "id": "bad-regex", "auth_url_patterns": ["(unclosed"] }""", "auth_url_patterns[0]")]
    [InlineData("bad-env-key", """{ "id": "bad-env-key", "env_schema": [{ "key": "NOT VALID" }] }""", "env_schema[0].key")]
    [InlineData("null-file", "null", "empty or null")]
    public void Constructor_BrokenFile_ReportedWithFileAndFieldAndOthersStillLoad(string folder, string json, string field)
    {
        Write("good", GoodAgent);
        Write(folder, json);

        var catalog = Catalog(_folder);

        var error = catalog.LoadErrors.ShouldHaveSingleItem();
        error.ShouldStartWith(Path.Combine(folder, "agent.json") + ":");
        error.ShouldContain(field);
        catalog.All.Select(a => a.Id).ShouldBe(["good"]);
        catalog.Find("good").ShouldNotBeNull().DisplayName.ShouldBe("Good");
    }

    [Fact]
    public void Constructor_DuplicateId_ReportsSecondFileAndKeepsFirst()
    {
        Write("a", """{ "id": "same", "name": "First" }""");
        Write("b", """{ "id": "same", "name": "Second" }""");

        var catalog = Catalog(_folder);

        catalog.LoadErrors.ShouldHaveSingleItem().ShouldStartWith(Path.Combine("b", "agent.json"));
        catalog.Find("same").ShouldNotBeNull().DisplayName.ShouldBe("First");
    }

    [Fact]
    public void Constructor_MissingFolder_ReportsIt()
    {
        var catalog = Catalog(Path.Combine(_folder, "does-not-exist"));

        catalog.All.ShouldBeEmpty();
        catalog.LoadErrors.ShouldHaveSingleItem().ShouldContain("REMOLT_AGENTS_DIR");
    }

    [Fact]
    public void Constructor_OptionalFieldsMissing_TakeOriginalDefaults()
    {
        Write("minimal", """{ "id": "minimal" }""");

        var agent = Catalog(_folder).Find("minimal").ShouldNotBeNull();

        agent.DisplayName.ShouldBe("minimal");
        agent.Description.ShouldBe("");
        agent.Icon.ShouldBe("");
        agent.Ports.ShouldBeEmpty();
        agent.EnvSchema.ShouldBeEmpty();
        agent.WarmPool.ShouldBeFalse();
    }

    [Fact]
    public void ImageFor_AgentImageVariableSet_WinsOverSandboxImage()
    {
        var catalog = Catalog(
            Path.Combine(SandboxImage.FindRepoRoot(), "agents"),
            new() { ["REMOLT_CLAUDE_CODE_IMAGE"] = "my-claude:1", ["REMOLT_SANDBOX_IMAGE"] = "my-sandbox" });

        catalog.ImageFor(catalog.Find("claude-code")!).ShouldBe("my-claude:1");
        catalog.ImageFor(catalog.Find("openclaw")!).ShouldBe("my-sandbox");
    }

    [Fact]
    public void ImageFor_NothingSet_IsTheAgentsOwnBuiltImage()
    {
        var catalog = Catalog(Path.Combine(SandboxImage.FindRepoRoot(), "agents"));

        catalog.ImageFor(catalog.Find("claude-code")!).ShouldBe("remolt-claude-code");
        catalog.ImageFor(catalog.Find("openclaw")!).ShouldBe("remolt-openclaw");
    }

    [Fact]
    public void ImageFor_OnlySandboxImageSet_IsUsedForEveryAgent()
    {
        // Bug 20 of the original: REMOLT_SANDBOX_IMAGE was documented as the fallback but never used.
        var catalog = Catalog(Path.Combine(SandboxImage.FindRepoRoot(), "agents"), new() { ["REMOLT_SANDBOX_IMAGE"] = "remolt-sandbox" });

        catalog.All.Select(catalog.ImageFor).ShouldAllBe(image => image == "remolt-sandbox");
    }

    [Fact]
    public void ImageFor_BlankValues_CountAsUnset()
    {
        var catalog = Catalog(
            Path.Combine(SandboxImage.FindRepoRoot(), "agents"),
            new() { ["REMOLT_CLAUDE_CODE_IMAGE"] = "  ", ["REMOLT_SANDBOX_IMAGE"] = "" });

        catalog.ImageFor(catalog.Find("claude-code")!).ShouldBe("remolt-claude-code");
    }

    [Fact]
    public void ImageFor_DashedIdWithBlankOwnVariable_FallsBackToSandboxImage()
    {
        Write("my-agent", """{ "id": "my-agent-2" }""");
        var catalog = Catalog(_folder, new() { ["REMOLT_MY_AGENT_2_IMAGE"] = "", ["REMOLT_SANDBOX_IMAGE"] = " base:7 " });

        catalog.ImageFor(catalog.Find("my-agent-2")!).ShouldBe("base:7");
        Catalog(_folder, new() { ["REMOLT_MY_AGENT_2_IMAGE"] = "mine" }).ImageFor(catalog.Find("my-agent-2")!).ShouldBe("mine");
    }

    [Theory]
    [InlineData("claude-code", "REMOLT_CLAUDE_CODE_IMAGE", "remolt-claude-code")]
    [InlineData("opencode", "REMOLT_OPENCODE_IMAGE", "remolt-opencode")]
    [InlineData("a-b-c9", "REMOLT_A_B_C9_IMAGE", "remolt-a-b-c9")]
    public void AgentImages_Names_MatchTheBuildScript(string id, string variable, string image)
    {
        AgentImages.VariableFor(id).ShouldBe(variable);
        AgentImages.DefaultFor(id).ShouldBe(image);
    }

    [Fact]
    public void MissingImageHint_DefaultImage_NamesTheBuildCommandForThatAgent()
    {
        AgentImages.MissingImageHint("codex", "remolt-codex").ShouldContain("container/build-images.sh --agent codex");
        var configured = AgentImages.MissingImageHint("codex", "acme/codex:2");
        configured.ShouldNotContain("--agent");
        configured.ShouldContain("REMOLT_CODEX_IMAGE");
        configured.ShouldContain("REMOLT_SANDBOX_IMAGE");
    }

    private void Write(string folder, string json)
    {
        Directory.CreateDirectory(Path.Combine(_folder, folder));
        File.WriteAllText(Path.Combine(_folder, folder, "agent.json"), json);
    }

    private static AgentCatalog Catalog(string directory, Dictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>(settings ?? []) { ["REMOLT_AGENTS_DIR"] = directory };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var options = new AgentOptions();
        configuration.Bind(options);
        return new AgentCatalog(Options.Create(options), configuration, NullLogger<AgentCatalog>.Instance);
    }
}
