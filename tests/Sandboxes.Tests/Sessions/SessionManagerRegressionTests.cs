using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Sandboxes.Tests.Sessions;

/// <summary>Regressions: create errors read cleanly, and credential names never reach the create env.</summary>
public sealed class SessionManagerRegressionTests
{
    [Fact]
    public async Task CreateAsync_RuntimeMessageEndsWithPeriod_DetailHasNoDoublePeriod()
    {
        await using var h = await SessionManagerHarness.CreateAsync();
        h.Runtime.CreateFailure = new SandboxRuntimeException("The sandbox image 'x' does not exist: build it with container/build-images.sh.");

        var ex = await Should.ThrowAsync<SessionCreateException>(
            h.Manager.CreateAsync("alice", new CreateSessionRequest(), CancellationToken.None).WaitAsync(SessionManagerHarness.Timeout));

        ex.Message.ShouldNotContain("..");
    }

    [Fact]
    public async Task CreateAsync_StoredKeyNameInSchemaWithoutSecretFlag_StaysOutOfCreateEnv()
    {
        // The original treats GITHUB_TOKEN and the four stored API key names as secret whatever the schema says.
        await using var h = await SessionManagerHarness.CreateAsync(agentJson: """
            { "id": "careless", "env_schema": [{ "key": "OPENAI_API_KEY", "label": "OpenAI", "secret": false }] }
            """);

        await h.Manager.CreateAsync(
            "alice",
            new CreateSessionRequest("careless", AgentEnv: new Dictionary<string, string> { ["OPENAI_API_KEY"] = "sk-openai-secret" }),
            CancellationToken.None).WaitAsync(SessionManagerHarness.Timeout);

        h.Runtime.Creates.ShouldHaveSingleItem().Env.ShouldNotContainKey("OPENAI_API_KEY");
        h.Runtime.Execs.ShouldHaveSingleItem().StdinText.ShouldContain("sk-openai-secret");
    }
}
