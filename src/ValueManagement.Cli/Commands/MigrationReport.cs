using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Storage;

namespace ValueManagement.Cli.Commands;

/// <summary>One collection on both sides: how many documents each holds, and a SHA-256 of its export.</summary>
public sealed record CollectionComparison(string Name, int SourceCount, int TargetCount, string SourceChecksum, string TargetChecksum)
{
    public bool CountsMatch => SourceCount == TargetCount;
    public bool ChecksumsMatch => string.Equals(SourceChecksum, TargetChecksum, StringComparison.Ordinal);
    public bool Matches => CountsMatch && ChecksumsMatch;
}

/// <summary>
/// Both engines compared collection by collection. The checksum covers every document's id and
/// export JSON in id order, with object properties sorted, so it is the same whichever engine holds
/// the documents; the submissions' (every revision of every week) and the audit's are printed in full.
/// </summary>
public sealed class MigrationReport(IReadOnlyList<CollectionComparison> collections)
{
    private static readonly string[] PrintedChecksums = [SubmissionStore.StoredWeeks.Name, AuditLog.Stored.Name];

    public IReadOnlyList<CollectionComparison> Collections { get; } = collections;

    public bool AllMatch => Collections.All(c => c.Matches);

    public IEnumerable<string> Mismatches => Collections.Where(c => !c.Matches)
        .Select(c => c.CountsMatch ? $"{c.Name} (same count, different content)" : $"{c.Name} ({c.SourceCount} in the source, {c.TargetCount} in the target)");

    public static MigrationReport Compare(IDocumentDatabase source, IDocumentDatabase target) =>
        new(StoredCollections.All
            .Select(c => new CollectionComparison(c.Name, c.Count(source), c.Count(target), Checksum(c, source), Checksum(c, target)))
            .ToList());

    /// <summary>SHA-256 (hex) of "id TAB canonical json LF" for every document in id order.</summary>
    public static string Checksum(IStoredCollection collection, IDocumentDatabase database)
    {
        ArgumentNullException.ThrowIfNull(collection);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var (id, json) in collection.Export(database))
        {
            buffer.ResetWrittenCount();
            WriteCanonical(json, buffer);
            hash.AppendData(Encoding.UTF8.GetBytes(id + "\t"));
            hash.AppendData(buffer.WrittenSpan);
            hash.AppendData("\n"u8);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The JSON with every object's properties in ordinal order (see <see cref="WriteCanonical(JsonElement, Utf8JsonWriter)"/>).</summary>
    public static string CanonicalJson(string json)
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteCanonical(json, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteCanonical(string json, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output);
        using var document = JsonDocument.Parse(json);
        WriteCanonical(document.RootElement, writer);
    }

    /// <summary>
    /// Writes the JSON with every object's properties in ordinal order. PostgreSQL's jsonb keeps a
    /// dictionary's keys in its own order (shorter first), not in the order they were added, so the
    /// same document reads back with its dictionary keys (e.g. a revision's values) reordered.
    /// </summary>
    private static void WriteCanonical(JsonElement element, Utf8JsonWriter writer)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(property.Value, writer);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray()) WriteCanonical(item, writer);
                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    public void WriteTo(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var width = Math.Max("collection".Length, Collections.Max(c => c.Name.Length));
        output.WriteLine($"{"collection".PadRight(width)}  {"source",8}  {"target",8}  ok");
        foreach (var c in Collections)
            output.WriteLine($"{c.Name.PadRight(width)}  {c.SourceCount,8}  {c.TargetCount,8}  {(c.Matches ? "yes" : c.CountsMatch ? "NO (content differs)" : "NO")}");
        foreach (var c in Collections.Where(c => PrintedChecksums.Contains(c.Name, StringComparer.Ordinal)))
            output.WriteLine($"sha256 {c.Name}: source {c.SourceChecksum}, target {c.TargetChecksum} ({(c.ChecksumsMatch ? "same" : "DIFFERENT")})");
    }
}
