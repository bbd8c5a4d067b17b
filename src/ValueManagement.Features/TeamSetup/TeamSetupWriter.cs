using System.Text.Encodings.Web;
using System.Text.Json;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Organisation;

namespace ValueManagement.Features.TeamSetup;

/// <summary>
/// Writes a <see cref="TeamSetupDocument"/> in the team setup file format (docs/team-setup.md), in the
/// order given: two-space indents, LF line ends, "£" and apostrophes as they are. Defaults of
/// measures (entered, 0 decimals, not whole-number, optional) are left out; team settings are
/// always written, so an admin sees them.
/// </summary>
public static class TeamSetupWriter
{
    private static readonly JsonWriterOptions Indented = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write(TeamSetupDocument setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Indented))
        {
            json.WriteStartObject();
            json.WriteStartArray("boards");
            foreach (var board in setup.Boards)
            {
                json.WriteStartObject();
                json.WriteString("id", board.Id);
                json.WriteString("name", board.Name);
                json.WriteEndObject();
            }
            json.WriteEndArray();

            json.WriteStartArray("services");
            foreach (var service in setup.Services)
            {
                json.WriteStartObject();
                json.WriteString("id", service.Id);
                json.WriteString("name", service.Name);
                json.WriteString("board", service.BoardId);
                json.WriteEndObject();
            }
            json.WriteEndArray();

            if (setup.MeasureSets.Count > 0)
            {
                json.WriteStartArray("measureSets");
                foreach (var set in setup.MeasureSets)
                {
                    json.WriteStartObject();
                    json.WriteString("id", set.Id);
                    json.WriteString("name", set.Name);
                    json.WriteStartArray("measures");
                    foreach (var measure in set.Measures) WriteMeasure(json, measure);
                    json.WriteEndArray();
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }

            json.WriteStartArray("teams");
            foreach (var team in setup.Teams)
            {
                json.WriteStartObject();
                json.WriteString("id", team.Id);
                json.WriteString("name", team.Name);
                json.WriteStartArray("aliases");
                foreach (var alias in team.Aliases) json.WriteStringValue(alias);
                json.WriteEndArray();
                json.WriteString("service", team.ServiceId);
                json.WriteString("measureSet", team.MeasureSetId);
                json.WriteString("timeZone", team.TimeZoneId);
                json.WriteNumber("lateEntryWeeks", team.LateEntryWeeks);
                json.WriteBoolean("promptDataLeadsInPersonalChat", team.PromptDataLeadsInPersonalChat);
                json.WriteEndObject();
            }
            json.WriteEndArray();

            json.WriteStartArray("roles");
            foreach (var role in setup.Roles)
            {
                json.WriteStartObject();
                json.WriteString("person", role.AadObjectId);
                json.WriteString("name", role.DisplayName);
                json.WriteString("role", TeamSetupNames.Of(role.Role));
                switch (role.ScopeKind)
                {
                    case RoleScopeKind.Team: json.WriteString("team", role.ScopeId); break;
                    case RoleScopeKind.Service: json.WriteString("service", role.ScopeId); break;
                    case RoleScopeKind.Board: json.WriteString("board", role.ScopeId); break;
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>One measure on one line, as the file writes it (for the audit trail).</summary>
    public static string MeasureJson(MeasureDefinition measure)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Compact)) WriteMeasure(json, measure);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteMeasure(Utf8JsonWriter json, MeasureDefinition measure)
    {
        json.WriteStartObject();
        json.WriteString("key", measure.Key);
        json.WriteString("name", measure.Name);
        json.WriteString("unit", TeamSetupNames.Of(measure.Unit));
        json.WriteString("category", TeamSetupNames.Of(measure.Category));
        json.WriteString("direction", TeamSetupNames.Of(measure.Direction));
        if (measure.Source != MeasureSource.Entered) json.WriteString("source", TeamSetupNames.Of(measure.Source));
        if (measure.Formula is not null) json.WriteString("formula", measure.Formula);
        WriteOptional(json, "target", measure.Target);
        WriteOptional(json, "amberTolerance", measure.AmberTolerance);
        WriteOptional(json, "amberTolerancePercent", measure.AmberTolerancePercent);
        if (measure.Decimals != 0) json.WriteNumber("decimals", measure.Decimals);
        WriteOptional(json, "min", measure.Min);
        WriteOptional(json, "max", measure.Max);
        if (measure.IsInteger) json.WriteBoolean("integer", true);
        if (measure.IsRequired) json.WriteBoolean("required", true);
        if (measure.SampleEveryWeeks is { } every) json.WriteNumber("sampleEveryWeeks", every);
        json.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } number) json.WriteNumber(name, number);
    }
}
