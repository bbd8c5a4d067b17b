using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ValueManagement.Testing.BotFramework;

/// <summary>An RSA key the fake Bot Connector publishes in its JWKS, with the channels it is endorsed for.</summary>
public sealed class TestSigningKey
{
    public TestSigningKey(string kid, params string[] endorsements)
    {
        Kid = kid;
        Endorsements = endorsements;
        Rsa = RSA.Create(2048);
        SecurityKey = new RsaSecurityKey(Rsa) { KeyId = kid };
    }

    public string Kid { get; }
    public string[] Endorsements { get; set; }
    public RSA Rsa { get; }
    public RsaSecurityKey SecurityKey { get; }

    public object ToJwk()
    {
        var parameters = Rsa.ExportParameters(false);
        return new Dictionary<string, object>
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = Kid,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus!),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent!),
            ["endorsements"] = Endorsements,
        };
    }
}

/// <summary>RSA keys are slow to make: the fake cloud's own keys are made once per test run.</summary>
public static class SharedKeys
{
    private static readonly Lazy<TestSigningKey> PrimaryKey = new(() => new TestSigningKey("test-key-1", "msteams"));
    private static readonly Lazy<TestSigningKey> OtherKey = new(() => new TestSigningKey("test-key-other", "msteams"));

    public static TestSigningKey Primary => PrimaryKey.Value;
    public static TestSigningKey Other => OtherKey.Value;
}

/// <summary>What a test wants in a Bot Connector token; the defaults make a valid one.</summary>
public sealed record TestTokenSpec
{
    public string Issuer { get; init; } = "https://api.botframework.com";
    public string? Audience { get; init; }
    public string? ServiceUrl { get; init; }
    public DateTimeOffset? NotBefore { get; init; }
    public DateTimeOffset? Expires { get; init; }
    public string Algorithm { get; init; } = SecurityAlgorithms.RsaSha256;
    public bool IncludeServiceUrlClaim { get; init; } = true;
}

public static class TestTokens
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public static string Create(TestSigningKey key, TestTokenSpec spec)
    {
        var now = DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["appid"] = "d6d49420-f39b-4df7-a1dc-d59a935871db",
            ["version"] = "1.0",
        };
        if (spec.IncludeServiceUrlClaim && spec.ServiceUrl is not null) claims["serviceurl"] = spec.ServiceUrl;

        var notBefore = spec.NotBefore ?? now.AddMinutes(-1);
        var expires = spec.Expires ?? now.AddMinutes(59);
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = spec.Issuer,
            Audience = spec.Audience,
            Claims = claims,
            IssuedAt = notBefore.UtcDateTime,
            NotBefore = notBefore.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(key.SecurityKey, spec.Algorithm),
        });
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with otherwise valid claims.</summary>
    public static string CreateUnsigned(TestTokenSpec spec, string kid)
    {
        var now = DateTimeOffset.UtcNow;
        var header = JsonSerializer.Serialize(new Dictionary<string, object> { ["alg"] = "none", ["typ"] = "JWT", ["kid"] = kid });
        var payload = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["iss"] = spec.Issuer,
            ["aud"] = spec.Audience,
            ["serviceurl"] = spec.ServiceUrl,
            ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["exp"] = now.AddMinutes(59).ToUnixTimeSeconds(),
        });
        return Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(header)) + "." + Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload)) + ".";
    }
}
