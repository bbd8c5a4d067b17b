using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ValueManagement.Testing.Json;

/// <summary>
/// Reads an official schema embedded from <c>Schemas/</c> (see its README), checks that the file is
/// still the published one, and builds a JsonSchema.Net schema from an in-memory copy that the caller
/// may patch first. The vendored file itself is never changed.
/// </summary>
internal static class VendoredSchema
{
    /// <summary>The published files' sha256, as recorded in Schemas/README.md.</summary>
    private static readonly Dictionary<string, string> Sha256 = new(StringComparer.Ordinal)
    {
        ["adaptive-card-1.5.0.json"] = "32c91fb285180a266a55b3475dd0396e63fe079311714d3a14963b41f5e17920",
        ["MicrosoftTeams.schema.v1.22.json"] = "1405f8ee5b7c1a62c5ade88f967252c7326c8f79eb77e693da4544780c101c2d",
        ["hostconfig-microsoft-teams-light.json"] = "52593ded0b4910e1697b5e9fd7d0bcf353a063685318051527ef434e04640a59",
        ["hostconfig-microsoft-teams-dark.json"] = "bd1dcacbcf8a05f7d223c20520da0995ae1849112195f789e6355504fa00623e",
    };

    public static JsonObject Load(string fileName)
    {
        var resource = $"ValueManagement.Testing.Schemas.{fileName}";
        using var stream = typeof(VendoredSchema).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The schema {fileName} is not embedded in ValueManagement.Testing (expected resource {resource}).");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();

        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!Sha256.TryGetValue(fileName, out var expected) || actual != expected)
            throw new InvalidOperationException($"tests/ValueManagement.Testing/Schemas/{fileName} is not the vendored file (sha256 {actual}). Restore it from its source (Schemas/README.md); apply fixes in memory instead.");

        return JsonNode.Parse(bytes)!.AsObject();
    }

    /// <summary>
    /// Builds the schema. <c>$schema</c> and <c>$id</c> are moved to the front: JsonSchema.Net 8 reads
    /// keywords in document order and fails ("Overwriting registered schemas is not permitted") when
    /// <c>$id</c> comes after subschemas that hold a <c>$ref</c>.
    /// </summary>
    public static JsonSchema Build(JsonObject document, Uri baseUri)
    {
        var ordered = new JsonObject();
        foreach (var key in new[] { "$schema", "$id" })
        {
            if (document[key] is { } value) ordered[key] = value.DeepClone();
        }
        foreach (var (key, value) in document)
        {
            if (key is not "$schema" and not "$id") ordered[key] = value?.DeepClone();
        }
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        return JsonSchema.Build(JsonSerializer.SerializeToElement(ordered), options, baseUri);
    }
}
