using SkiaSharp;

namespace ValueManagement.Features.Charts;

/// <summary>
/// The font the charts' text is drawn with. ScottPlot's SkiaSharp build for Linux reads fonts from
/// /usr/share/fonts and has no fallback of its own: with no font there, text is silently not drawn.
/// So the font is chosen once, by name, and the absence of any usable font is known up front.
/// </summary>
public sealed class ChartFonts
{
    /// <summary>Sans-serif families tried in order (Debian: fonts-dejavu-core, fonts-liberation).</summary>
    public static readonly IReadOnlyList<string> PreferredFamilies =
        ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arimo", "Open Sans", "Arial", "Helvetica", "Segoe UI"];

    /// <summary>The name fonts from <c>Charts:FontFile</c> are registered under (with a number).</summary>
    public const string FileFontFamily = "ValueManagement Chart Font";

    /// <summary>Characters every chart label may use.</summary>
    private const string RequiredGlyphs = "0123456789.,-+%£ ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz()";

    private static readonly Lock FileRegistration = new();

    /// <summary>ScottPlot's font registry is process-wide: each file is registered once, under its own name.</summary>
    private static readonly Dictionary<string, string> RegisteredFiles = new(StringComparer.Ordinal);

    private ChartFonts(string? family, string source)
    {
        Family = family;
        Source = source;
    }

    /// <summary>The family to draw text with; null when no usable font was found.</summary>
    public string? Family { get; }

    /// <summary>Where the font came from, for the start-up log.</summary>
    public string Source { get; }

    /// <summary>False when no font is available: full charts would have no axis labels or legend.</summary>
    public bool CanDrawText => Family is not null;

    /// <summary>No font at all: sparklines (which have no text) still render.</summary>
    public static ChartFonts None { get; } = new(null, "no font");

    /// <summary>The font file if one is given and usable, else the first installed preferred family, else Skia's default typeface.</summary>
    public static ChartFonts Resolve(string? fontFile = null)
    {
        if (!string.IsNullOrWhiteSpace(fontFile))
        {
            using var typeface = SKTypeface.FromFile(fontFile);
            if (typeface is null || !Covers(typeface))
                return new ChartFonts(null, $"the font file '{fontFile}' cannot be read or lacks basic Latin glyphs");
            string family;
            lock (FileRegistration)
            {
                var path = Path.GetFullPath(fontFile);
                if (!RegisteredFiles.TryGetValue(path, out family!))
                {
                    family = $"{FileFontFamily} {RegisteredFiles.Count + 1}";
                    ScottPlot.Fonts.AddFontFile(family, path, bold: false, italic: false);
                    ScottPlot.Fonts.AddFontFile(family, path, bold: true, italic: false);
                    RegisteredFiles[path] = family;
                }
            }
            return new ChartFonts(family, $"the font file '{fontFile}'");
        }

        foreach (var family in PreferredFamilies)
        {
            using var typeface = SKFontManager.Default.MatchFamily(family);
            if (typeface is not null && Covers(typeface))
                return new ChartFonts(typeface.FamilyName, $"the installed family '{typeface.FamilyName}'");
        }

        var fallback = SKTypeface.Default;
        if (fallback is not null && !string.IsNullOrEmpty(fallback.FamilyName) && Covers(fallback))
            return new ChartFonts(fallback.FamilyName, $"the system default family '{fallback.FamilyName}'");
        return None;
    }

    private static bool Covers(SKTypeface typeface) => typeface.GlyphCount > 0 && typeface.ContainsGlyphs(RequiredGlyphs);
}
