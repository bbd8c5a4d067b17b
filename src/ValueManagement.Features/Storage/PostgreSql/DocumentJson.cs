using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BsonIgnoreAttribute = LiteDB.BsonIgnoreAttribute;
using ObjectId = LiteDB.ObjectId;

namespace ValueManagement.Features.Storage.PostgreSql;

/// <summary>
/// How documents are written as JSON in PostgreSQL: property names as declared (so field paths are
/// property paths), enums by name, times in UTC with a fixed number of fraction digits (so the text
/// order of two times is their time order, which the indexes and <c>DeleteBefore</c> rely on), and
/// LiteDB object ids as their hex string. Properties LiteDB ignores are not stored either.
/// </summary>
public static class DocumentJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>The text PostgreSQL's <c>#&gt;&gt;</c> gives for <paramref name="value"/> stored in a document; null for JSON null.</summary>
    public static string? TextOf<TValue>(TValue value)
    {
        if (value is null) return null;
        var element = JsonSerializer.SerializeToElement(value, value.GetType(), Options);
        return element.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.String => element.GetString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => element.GetRawText(),
            _ => throw new ArgumentException($"Only strings, numbers, booleans, enums and times can be compared in a query; {value.GetType().Name} cannot.", nameof(value)),
        };
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            Converters = { new JsonStringEnumConverter(), new UtcDateTimeOffsetConverter(), new ObjectIdConverter() },
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { LeaveOutBsonIgnored } },
        };
        options.MakeReadOnly();
        return options;
    }

    private static void LeaveOutBsonIgnored(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object) return;
        for (var i = type.Properties.Count - 1; i >= 0; i--)
        {
            if (type.Properties[i].AttributeProvider?.IsDefined(typeof(BsonIgnoreAttribute), inherit: true) == true)
                type.Properties.RemoveAt(i);
        }
    }

    /// <summary>Writes <c>2026-11-30T09:05:00.0000000Z</c>: always UTC, always seven fraction digits.</summary>
    private sealed class UtcDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
    {
        private const string Format = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'";

        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString();
            if (text is null || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
                throw new JsonException($"'{text}' is not a time.");
            return value.ToUniversalTime();
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
    }

    private sealed class ObjectIdConverter : JsonConverter<ObjectId>
    {
        public override ObjectId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString();
            if (text is null || text.Length != 24 || !text.All(char.IsAsciiHexDigit))
                throw new JsonException($"'{text}' is not an object id (24 hex digits).");
            return new ObjectId(text);
        }

        public override void Write(Utf8JsonWriter writer, ObjectId value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString());
    }
}
