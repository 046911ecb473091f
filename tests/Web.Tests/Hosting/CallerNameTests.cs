using System.Security.Claims;
using RemoltBlazor.Web.Auth;
using RemoltBlazor.Web.Hosting;

namespace RemoltBlazor.Web.Tests.Hosting;

public sealed class CallerNameTests
{
    [Fact]
    public void Of_SignedInUser_IsTheLogin_NobodyIsAnonymous()
    {
        CallerName.Of(User("alice")).ShouldBe("alice");
        CallerName.Of(new ClaimsPrincipal(new ClaimsIdentity())).ShouldBe(CallerName.Anonymous);
        CallerName.Of((ClaimsPrincipal?)null).ShouldBe(CallerName.Anonymous);
    }

    [Fact]
    public void IsAdmin_OnlyASignedInUserWithTheAdminRole()
    {
        CallerName.IsAdmin(User("root", AuthSchemes.AdminRole)).ShouldBeTrue();
        CallerName.IsAdmin(User("alice")).ShouldBeFalse();
        CallerName.IsAdmin(User("alice", "administrator")).ShouldBeFalse();
        CallerName.IsAdmin((ClaimsPrincipal?)null).ShouldBeFalse();

        // A role claim on an identity nobody authenticated (no scheme) grants nothing.
        var unauthenticated = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "root"), new Claim(ClaimTypes.Role, AuthSchemes.AdminRole)]));
        CallerName.IsAdmin(unauthenticated).ShouldBeFalse();
    }

    private static ClaimsPrincipal User(string login, string? role = null)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, login) };
        if (role is not null)
        {
            claims.Add(new Claim(ClaimTypes.Role, role));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
    }
}
