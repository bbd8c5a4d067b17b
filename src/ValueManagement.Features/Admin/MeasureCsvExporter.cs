using System.Globalization;
using CsvHelper;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Capture;
using ValueManagement.Features.TeamSetup;

namespace ValueManagement.Features.Admin;

/// <summary>
/// Writes what is stored as a measures CSV file, in the format <see cref="MeasureCsvImporter"/>
/// reads: <c>team,week,measure,value</c>, one row per measure per week with a value (the week's
/// current value after every revision; "not recorded" has no row; derived measures are computed,
/// not stored, and are left out). Numbers are invariant culture, as short as they can be without
/// changing the value.
/// </summary>
public sealed class MeasureCsvExporter(TeamDirectory directory, MeasureSetStore measureSets, SubmissionStore submissions)
{
    /// <param name="teamIds">The teams to write, in this order; every team (by id) when empty.</param>
    /// <returns>How many rows were written (the header aside).</returns>
    public int Write(Stream output, IReadOnlyList<string> teamIds, IsoWeek? from, IsoWeek? to)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(teamIds);
        var teams = teamIds.Count > 0 ? teamIds : directory.AllTeams().Select(t => t.Id).Order(StringComparer.Ordinal).ToList();
        var rows = 0;
        using var csv = CsvWriter.Create(output, new CsvWriterOptions { FormatProvider = CultureInfo.InvariantCulture }, leaveOpen: true);
        csv.WriteField("team");
        csv.WriteField("week");
        csv.WriteField("measure");
        csv.WriteField("value");
        csv.EndRecord();
        foreach (var teamId in teams)
        {
            var order = directory.FindTeam(teamId) is { } team && measureSets.Find(team.MeasureSetId) is { } set
                ? set.Measures.Select((m, i) => (m.Key, i)).ToDictionary(p => p.Key, p => p.i, StringComparer.Ordinal)
                : [];
            foreach (var week in submissions.History(teamId, from, to))
            {
                var values = week.Current
                    .Where(v => v.Value is not null)
                    .OrderBy(v => order.TryGetValue(v.Key, out var i) ? i : int.MaxValue)
                    .ThenBy(v => v.Key, StringComparer.Ordinal);
                foreach (var (key, value) in values)
                {
                    csv.WriteField(teamId);
                    csv.WriteField(week.Week.ToString());
                    csv.WriteField(key);
                    csv.WriteField(value!.Value.ToString("R", CultureInfo.InvariantCulture));
                    csv.EndRecord();
                    rows++;
                }
            }
        }
        return rows;
    }

    public byte[] Export(IReadOnlyList<string> teamIds, IsoWeek? from, IsoWeek? to)
    {
        var buffer = new MemoryStream();
        Write(buffer, teamIds, from, to);
        return buffer.ToArray();
    }
}
