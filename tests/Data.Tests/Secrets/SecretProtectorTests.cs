using System.Text;
using Microsoft.Extensions.Options;
using RemoltBlazor.Data.Secrets;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Data.Tests.Secrets;

public sealed class SecretProtectorTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "remolt-secret-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Protect_ThenUnprotect_GivesThePlaintextAndTheSealedBytesDoNotContainIt()
    {
        var protector = new SecretProtector(NewRing());
        var secret = protector.Protect("sk-ant-very-secret-value", "api-key:alice:ANTHROPIC_API_KEY");

        Encoding.UTF8.GetString(secret.Sealed).ShouldNotContain("very-secret");
        protector.Unprotect(secret, "api-key:alice:ANTHROPIC_API_KEY").ShouldBe("sk-ant-very-secret-value");
    }

    [Fact]
    public void Unprotect_UnderAnotherPurpose_Refuses()
    {
        var protector = new SecretProtector(NewRing());
        var secret = protector.Protect("value", "api-key:alice:X");

        Should.Throw<SecretUnreadableException>(() => protector.Unprotect(secret, "api-key:bob:X")).Message.ShouldNotContain("value");
    }

    [Fact]
    public void Unprotect_TamperedBytes_Refuses()
    {
        var protector = new SecretProtector(NewRing());
        var secret = protector.Protect("value", "p");
        secret.Sealed[^1] ^= 1;

        Should.Throw<SecretUnreadableException>(() => protector.Unprotect(secret, "p"));
    }

    [Fact]
    public void KeyRing_SurvivesARestart_AndOldSecretsOpenAfterANewKeyIsAdded()
    {
        var ring = NewRing();
        var old = new SecretProtector(ring).Protect("value", "p");
        ring.AddCurrentKey();

        var reopened = new SecretProtector(NewRing());
        reopened.IsStale(old).ShouldBeTrue();
        reopened.Unprotect(old, "p").ShouldBe("value");
        reopened.IsStale(reopened.Protect("value", "p")).ShouldBeFalse();
    }

    [Fact]
    public void KeyRing_RetiredKey_SecretsUnderItNoLongerOpen()
    {
        var ring = NewRing();
        var old = new SecretProtector(ring).Protect("value", "p");
        ring.AddCurrentKey();
        ring.RetireOldKeys();

        ring.Ids.Count.ShouldBe(1);
        Should.Throw<SecretUnreadableException>(() => new SecretProtector(ring).Unprotect(old, "p"));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void KeyRing_FileIsOwnerOnly()
    {
        NewRing();
        var mode = File.GetUnixFileMode(Path.Combine(_folder, SecretKeyRing.FileName));
        mode.ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public void KeyRing_CorruptFile_FailsWithTheFileNamed()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, SecretKeyRing.FileName), "abc:not-base64\n");

        Should.Throw<InvalidOperationException>(() => NewRing()).Message.ShouldContain(SecretKeyRing.FileName);
    }

    private SecretKeyRing NewRing() => new(Options.Create(new DataOptions { DataDirectory = _folder }));
}
