using System.Text.Json;
using System.Text.Json.Serialization;

namespace ValueManagement.Core.Weeks;

/// <summary>Writes an <see cref="IsoWeek"/> as its label, <c>"2026-W48"</c>, and reads it back strictly.</summary>
public sealed class IsoWeekJsonConverter : JsonConverter<IsoWeek>
{
    public override IsoWeek Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"A week must be a string such as \"2026-W48\", not {reader.TokenType}.");
        try
        {
            return IsoWeek.ParseStored(reader.GetString()!);
        }
        catch (FormatException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, IsoWeek value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}

/// <summary>Writes a <see cref="WeeklyTime"/> as <c>"Monday 09:00"</c> and reads any form <see cref="WeeklyTime.Parse"/> accepts.</summary>
public sealed class WeeklyTimeJsonConverter : JsonConverter<WeeklyTime>
{
    public override WeeklyTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"A weekly time must be a string such as \"mon 09:00\", not {reader.TokenType}.");
        return WeeklyTime.TryParse(reader.GetString(), out var value, out var error) ? value : throw new JsonException(error);
    }

    public override void Write(Utf8JsonWriter writer, WeeklyTime value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
