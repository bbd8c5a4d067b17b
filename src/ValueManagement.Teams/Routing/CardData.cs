using System.Globalization;
using System.Text.Json;

namespace ValueManagement.Teams.Routing;

/// <summary>Reads values from a card action's data, which arrives as loosely typed JSON (Teams sends numbers as strings).</summary>
public static class CardData
{
    /// <summary>The string at <paramref name="key"/>, or null when the data is not an object or the value is not a string.</summary>
    public static string? String(JsonElement data, string key) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The whole number at <paramref name="key"/>, written as a JSON number or as digits in a string; otherwise null.</summary>
    public static int? Int(JsonElement data, string key)
    {
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty(key, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)) return number;
        return value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out number) ? number : null;
    }
}
