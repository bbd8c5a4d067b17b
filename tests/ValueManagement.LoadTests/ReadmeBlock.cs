namespace ValueManagement.LoadTests;

/// <summary>Rewrites one <c>&lt;!-- perf:NAME:begin --&gt; … &lt;!-- perf:NAME:end --&gt;</c> block of the repository's README.md.</summary>
public static class ReadmeBlock
{
    public static void Write(string name, string content)
    {
        var begin = $"<!-- perf:{name}:begin -->";
        var end = $"<!-- perf:{name}:end -->";
        var directory = new DirectoryInfo(Environment.CurrentDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ValueManagement.sln")))
            directory = directory.Parent;
        if (directory is null) throw new InvalidOperationException("Run from inside the repository: README.md not found.");
        var readme = Path.Combine(directory.FullName, "README.md");
        var text = File.ReadAllText(readme);
        var from = text.IndexOf(begin, StringComparison.Ordinal);
        var to = text.IndexOf(end, StringComparison.Ordinal);
        if (from < 0 || to < from) throw new InvalidOperationException($"README.md has no {begin} … {end} block.");
        File.WriteAllText(readme, text[..(from + begin.Length)] + "\n" + content.TrimEnd() + "\n" + text[to..]);
        Console.Error.WriteLine($"README.md {name} block rewritten.");
    }
}
