using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace RemoltBlazor.Web.Tests.Fakes;

/// <summary>
/// A local OpenID Connect provider on 127.0.0.1: discovery document, JWKS, an authorize endpoint that sends the
/// browser straight back with a code, and a token endpoint that checks PKCE and returns an RS256-signed id_token.
/// </summary>
public sealed class FakeOidcProvider : IAsyncDisposable
{
    public const string ClientId = "remolt-test";
    public const string ClientSecret = "oidc-test-secret";

    private readonly WebApplication _app;
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RSA _otherRsa = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, (string? Nonce, string? Challenge)> _codes = new();

    private FakeOidcProvider(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Claims of the user who "signs in" at the provider.</summary>
    public Dictionary<string, object> User { get; } = new()
    {
        ["sub"] = "user-1234",
        ["preferred_username"] = "grace",
        ["name"] = "Grace Hopper",
        ["email"] = "grace@example.com",
    };

    public bool TokenEndpointFails { get; set; }

    /// <summary>Signs the id_token with a key the JWKS does not publish (a forged token).</summary>
    public bool SignWithUnpublishedKey { get; set; }

    public Dictionary<string, string?> Settings => new()
    {
        ["REMOLT_OIDC_AUTHORITY"] = BaseUrl,
        ["REMOLT_OIDC_CLIENT_ID"] = ClientId,
        ["REMOLT_OIDC_CLIENT_SECRET"] = ClientSecret,
        ["REMOLT_OIDC_REQUIRE_HTTPS"] = "false",
        ["REMOLT_OIDC_NAME"] = "Fake IdP",
    };

    public static async Task<FakeOidcProvider> StartAsync()
    {
        FakeOidcProvider? fake = null;
        var (_, baseUrl) = await LocalHttpServer.StartAsync(web => (fake = new FakeOidcProvider(web)).Map(web));
        fake!.BaseUrl = baseUrl;
        return fake;
    }

    private RsaSecurityKey Key => new(_rsa) { KeyId = "test-key" };

    private void Map(WebApplication app)
    {
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = BaseUrl,
            ["authorization_endpoint"] = BaseUrl + "/authorize",
            ["token_endpoint"] = BaseUrl + "/token",
            ["jwks_uri"] = BaseUrl + "/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
        }));

        app.MapGet("/jwks", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = "test-key" });
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = jwk.Kid, n = jwk.N, e = jwk.E } } });
        });

        app.MapGet("/authorize", (HttpContext http) =>
        {
            var query = http.Request.Query;
            if (query["client_id"] != ClientId || query["response_type"] != "code")
            {
                return Results.BadRequest("unknown client or response type");
            }

            var code = Guid.NewGuid().ToString("N");
            _codes[code] = (query["nonce"], query["code_challenge"]);
            return Results.Redirect($"{query["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(query["state"].ToString())}");
        });

        app.MapPost("/token", async (HttpContext http) =>
        {
            if (TokenEndpointFails)
            {
                return Results.StatusCode(500);
            }

            var form = await http.Request.ReadFormAsync();
            if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret || !_codes.TryRemove(form["code"].ToString(), out var grant))
            {
                return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            }

            var verifier = form["code_verifier"].ToString();
            var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
            if (challenge != grant.Challenge)
            {
                return Results.Json(new { error = "invalid_grant", error_description = "PKCE verification failed" }, statusCode: 400);
            }

            var claims = new Dictionary<string, object>(User);
            if (grant.Nonce is not null)
            {
                claims["nonce"] = grant.Nonce;
            }

            var key = SignWithUnpublishedKey ? new RsaSecurityKey(_otherRsa) { KeyId = "test-key" } : Key;
            var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = BaseUrl,
                Audience = ClientId,
                Claims = claims,
                IssuedAt = DateTime.UtcNow,
                NotBefore = DateTime.UtcNow.AddSeconds(-5),
                Expires = DateTime.UtcNow.AddMinutes(5),
                SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
            });
            return Results.Json(new { access_token = "oidc-access-" + Guid.NewGuid().ToString("N"), token_type = "Bearer", expires_in = 300, id_token = idToken });
        });
    }

    public async ValueTask DisposeAsync()
    {
        await LocalHttpServer.StopAsync(_app);
        _rsa.Dispose();
        _otherRsa.Dispose();
    }
}
