namespace ValueManagement.Cli.Tests;

public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string TeamsExample => Path.Combine(Root, "docs", "teams.example.json");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ValueManagement.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException("The repository root (with ValueManagement.sln) was not found above " + AppContext.BaseDirectory);
    }
}
