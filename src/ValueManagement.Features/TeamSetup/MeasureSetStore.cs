using ValueManagement.Core.Measures;
using ValueManagement.Features.Storage;

namespace ValueManagement.Features.TeamSetup;

/// <summary>Measure sets: the ones an admin imported, and the shipped defaults for any id not imported.</summary>
public sealed class MeasureSetStore(IDocumentDatabase database)
{
    public static readonly DocumentCollection<StoredMeasureSet> Stored = new(Collections.MeasureSets, s => s.Id);

    private static readonly IReadOnlyDictionary<string, MeasureSet> Defaults =
        new Dictionary<string, MeasureSet>(StringComparer.Ordinal) { [DefaultMeasureSets.AcuteWard.Id] = DefaultMeasureSets.AcuteWard };

    private IDocumentCollection<StoredMeasureSet> Sets => database.Collection(Stored);

    public MeasureSet? Find(string id)
    {
        var stored = Sets.Find(id);
        if (stored is not null) return new MeasureSet(stored.Id, stored.Name, stored.Measures);
        return Defaults.GetValueOrDefault(id);
    }

    public IReadOnlyList<MeasureSet> All()
    {
        var stored = Sets.All().Select(s => new MeasureSet(s.Id, s.Name, s.Measures)).ToList();
        return stored.Concat(Defaults.Values.Where(d => stored.All(s => s.Id != d.Id))).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>Only the sets a team setup file defined (not the shipped defaults), by id.</summary>
    public IReadOnlyList<MeasureSet> Imported() =>
        Sets.All().Select(s => new MeasureSet(s.Id, s.Name, s.Measures)).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();

    /// <summary>Replaces the imported sets (inside the caller's transaction, if any).</summary>
    public void ReplaceAll(IEnumerable<MeasureSet> sets)
    {
        Sets.DeleteAll();
        Sets.UpsertMany(sets.Select(s => new StoredMeasureSet { Id = s.Id, Name = s.Name, Measures = s.Measures.ToList() }));
    }
}

public sealed class StoredMeasureSet
{
    public string Id { get; set; } = string.Empty;
    public string Name { get; set; } = string.Empty;
    public List<MeasureDefinition> Measures { get; set; } = [];
}
