using System.Text.Json;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace ValueManagement.Teams.Authentication;

/// <summary>
/// The Bot Connector's signing keys together with their endorsements (the channels each key may
/// sign for), read from the OpenID metadata and its JWKS and cached as one unit.
/// </summary>
public sealed class BotSigningConfiguration
{
    public required IReadOnlyList<SecurityKey> SigningKeys { get; init; }

    /// <summary>Key id to the channel ids that key is endorsed for. A key without an entry has no endorsements.</summary>
    public required IReadOnlyDictionary<string, IReadOnlySet<string>> Endorsements { get; init; }
}

/// <summary>Reads the OpenID metadata document, follows its <c>jwks_uri</c> and keeps the endorsements that Microsoft.IdentityModel drops.</summary>
public sealed class BotSigningConfigurationRetriever : IConfigurationRetriever<BotSigningConfiguration>
{
    public async Task<BotSigningConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        var metadata = await retriever.GetDocumentAsync(address, cancel).ConfigureAwait(false);
        string jwksUri;
        using (var document = JsonDocument.Parse(metadata))
        {
            jwksUri = document.RootElement.TryGetProperty("jwks_uri", out var uri) && uri.ValueKind == JsonValueKind.String
                ? uri.GetString()!
                : throw new InvalidOperationException($"The OpenID metadata at {address} has no jwks_uri.");
        }

        var jwks = await retriever.GetDocumentAsync(jwksUri, cancel).ConfigureAwait(false);
        var keySet = new JsonWebKeySet(jwks) { SkipUnresolvedJsonWebKeys = true };
        var endorsements = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        using (var document = JsonDocument.Parse(jwks))
        {
            if (document.RootElement.TryGetProperty("keys", out var keys) && keys.ValueKind == JsonValueKind.Array)
            {
                foreach (var key in keys.EnumerateArray())
                {
                    if (!key.TryGetProperty("kid", out var kid) || kid.ValueKind != JsonValueKind.String) continue;
                    if (!key.TryGetProperty("endorsements", out var list) || list.ValueKind != JsonValueKind.Array) continue;
                    endorsements[kid.GetString()!] = list.EnumerateArray()
                        .Where(e => e.ValueKind == JsonValueKind.String)
                        .Select(e => e.GetString()!)
                        .ToHashSet(StringComparer.OrdinalIgnoreCase);
                }
            }
        }

        return new BotSigningConfiguration { SigningKeys = keySet.GetSigningKeys().ToList(), Endorsements = endorsements };
    }
}
