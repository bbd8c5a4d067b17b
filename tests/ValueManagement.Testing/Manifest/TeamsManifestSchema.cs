using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using ValueManagement.Testing.Json;

namespace ValueManagement.Testing.Manifest;

/// <summary>
/// Checks a Teams app manifest against the official v1.22 schema (vendored in <c>Schemas/</c>).
/// <code>TeamsManifestSchema.Validate(File.ReadAllText("manifest.json")).AssertValid("manifest.json");</code>
/// </summary>
public static class TeamsManifestSchema
{
    public const string SchemaFile = "MicrosoftTeams.schema.v1.22.json";
    public const string SchemaUrl = "https://developer.microsoft.com/json-schemas/teams/v1.22/MicrosoftTeams.schema.json";

    private static readonly Lazy<(JsonSchema Schema, JsonObject Document)> Loaded = new(Load);

    public static ValidationReport Validate(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return new ValidationReport([new SchemaProblem("$", $"not valid JSON: {e.Message}", "json")]);
        }
        using (document)
        {
            return Validate(document.RootElement);
        }
    }

    public static ValidationReport Validate(JsonElement manifest)
    {
        var (schema, document) = Loaded.Value;
        var results = SchemaErrorReader.Evaluate(schema, manifest);
        return new ValidationReport(new SchemaErrorReader(document, manifest).Read(results));
    }

    private static (JsonSchema, JsonObject) Load()
    {
        var document = VendoredSchema.Load(SchemaFile);
        // The file is draft-04, which JsonSchema.Net does not implement. It uses nothing that
        // draft-07 reads differently (no boolean exclusiveMaximum/Minimum), and draft-07 keeps const.
        document["$schema"] = "http://json-schema.org/draft-07/schema#";
        return (VendoredSchema.Build(document, new Uri(SchemaUrl)), document);
    }
}
