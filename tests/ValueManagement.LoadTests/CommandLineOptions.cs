using System.Globalization;

namespace ValueManagement.LoadTests;

/// <summary>The load programs' numeric options: <c>--name N</c> and <c>--name N,N,N</c>.</summary>
internal static class CommandLineOptions
{
    public static int Int(string[] args, string name, int fallback, bool allowZero = false)
    {
        var index = Array.IndexOf(args, name);
        if (index < 0) return fallback;
        if (index + 1 >= args.Length || !int.TryParse(args[index + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < (allowZero ? 0 : 1))
            throw new ArgumentException($"{name} needs a {(allowZero ? "whole number, 0 or more" : "positive whole number")}.");
        return value;
    }

    /// <summary>The comma-separated numbers after <paramref name="name"/>, or null when the option is not given.</summary>
    public static IReadOnlyList<int>? Ints(string[] args, string name, bool allowZero = false)
    {
        var index = Array.IndexOf(args, name);
        if (index < 0) return null;
        var values = index + 1 < args.Length ? args[index + 1].Split(',') : [];
        var parsed = values.Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).ToList();
        if (parsed.Count == 0 || parsed.Any(n => n < (allowZero ? 0 : 1)))
            throw new ArgumentException(allowZero
                ? $"{name} needs whole numbers, 0 or more, separated by commas (e.g. 0,1000)."
                : $"{name} needs positive whole numbers separated by commas (e.g. 10,25,50).");
        return parsed;
    }
}
