using System.Text;
using ValueManagement.Features.TeamSetup;

namespace ValueManagement.Features.Tests.TeamSetup;

/// <summary>Team setup files for tests: a small valid one whose line numbers the tests name, and the documented example.</summary>
public static class TeamSetupFiles
{
    /// <summary>Line 14 is ward-7's service, line 26 Sister Jones's role.</summary>
    public const string Small = """
        {
          "boards": [
            { "id": "nhs-highland", "name": "NHS Highland" }
          ],
          "services": [
            { "id": "medicine", "name": "Medicine", "board": "nhs-highland" },
            { "id": "surgery", "name": "Surgery", "board": "nhs-highland" }
          ],
          "teams": [
            {
              "id": "ward-7",
              "name": "Ward 7",
              "aliases": ["7", "respiratory"],
              "service": "medicine",
              "measureSet": "acute-ward"
            },
            {
              "id": "ward-8",
              "name": "Ward 8",
              "aliases": ["cardio"],
              "service": "surgery",
              "measureSet": "acute-ward"
            }
          ],
          "roles": [
            { "person": "11111111-1111-1111-1111-111111111111", "name": "Sister Jones", "role": "member", "team": "ward-7" },
            { "person": "44444444-4444-4444-4444-444444444444", "name": "Ali Grant", "role": "admin" }
          ]
        }
        """;

    public static string RepositoryRoot { get; } = FindRoot();

    public static string ExamplePath => Path.Combine(RepositoryRoot, "docs", "teams.example.json");

    public static byte[] Example => File.ReadAllBytes(ExamplePath);

    public static TeamSetupReadResult Read(string json, string file = "teams.json") => TeamSetupReader.Read(Encoding.UTF8.GetBytes(json), file);

    public static IReadOnlyList<string> Problems(string json) => Read(json).Problems.Select(p => p.ToString()).ToList();

    /// <summary>The 1-based line on which <paramref name="fragment"/> first appears.</summary>
    public static int LineOf(string json, string fragment)
    {
        var at = json.IndexOf(fragment, StringComparison.Ordinal);
        if (at < 0) throw new ArgumentException($"'{fragment}' is not in the file.", nameof(fragment));
        return json[..at].Count(c => c == '\n') + 1;
    }

    /// <summary>The text with exactly one occurrence of <paramref name="old"/> replaced.</summary>
    public static string With(this string json, string old, string @new)
    {
        var at = json.IndexOf(old, StringComparison.Ordinal);
        if (at < 0 || json.IndexOf(old, at + 1, StringComparison.Ordinal) >= 0)
            throw new ArgumentException($"'{old}' must appear exactly once.", nameof(old));
        return json[..at] + @new + json[(at + old.Length)..];
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ValueManagement.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException("The repository root (with ValueManagement.sln) was not found above " + AppContext.BaseDirectory);
    }
}
