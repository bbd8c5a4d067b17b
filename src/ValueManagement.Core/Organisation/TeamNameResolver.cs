namespace ValueManagement.Core.Organisation;

/// <summary>The result of looking a team up by what someone typed.</summary>
public abstract record TeamLookup
{
    /// <param name="Exact">False when the team was guessed from a typo: a command that changes something asks first.</param>
    public sealed record Found(TeamProfile Team, bool Exact = true) : TeamLookup;
    public sealed record Ambiguous(IReadOnlyList<TeamProfile> Candidates) : TeamLookup;
    public sealed record NotFound(string Text, IReadOnlyList<TeamProfile> Suggestions) : TeamLookup;
}

/// <summary>
/// Finds a team by name or alias, case-insensitively, ignoring spaces and punctuation, and tolerant
/// of a small typo ("ward7", "Ward 7", "ward  7", "wrad 7"). Several equally good matches are
/// ambiguous and the caller is offered a choice; nothing close gives suggestions.
/// </summary>
public static class TeamNameResolver
{
    public static TeamLookup Resolve(string text, IReadOnlyCollection<TeamProfile> teams) => Resolve(text, teams, teams);

    /// <summary>
    /// An id, name or alias matches among all <paramref name="teams"/>; a typo match and the suggestions
    /// come only from <paramref name="guessable"/> (the teams the caller may see), so a guess never names a
    /// team the caller could not find by themselves.
    /// </summary>
    public static TeamLookup Resolve(string text, IReadOnlyCollection<TeamProfile> teams, IReadOnlyCollection<TeamProfile> guessable) =>
        ResolveExact(text, teams) ?? ResolveTypo(text, guessable);

    /// <summary>The team whose id, name or alias is <paramref name="text"/>; null when none is.</summary>
    public static TeamLookup? ResolveExact(string text, IReadOnlyCollection<TeamProfile> teams)
    {
        var wanted = Normalise(text);
        if (wanted.Length == 0) return new TeamLookup.NotFound(text, []);

        var exactId = teams.Where(t => string.Equals(t.Id, text.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
        if (exactId.Count == 1) return new TeamLookup.Found(exactId[0]);

        var exact = teams.Where(t => t.Names.Any(n => Normalise(n) == wanted)).ToList();
        if (exact.Count == 1) return new TeamLookup.Found(exact[0]);
        if (exact.Count > 1) return new TeamLookup.Ambiguous(exact);
        return null;
    }

    /// <summary>A team whose name is one small typo from <paramref name="text"/>, else suggestions that contain it.</summary>
    public static TeamLookup ResolveTypo(string text, IReadOnlyCollection<TeamProfile> teams)
    {
        var wanted = Normalise(text);
        if (wanted.Length == 0) return new TeamLookup.NotFound(text, []);

        // A typo: allow one edit in short names, two in longer ones, but never a change of digits
        // ("ward 7" must not become "ward 1"). Names whose length differs by more than that are skipped
        // before any distance is computed.
        var allowed = wanted.Length <= 6 ? 1 : 2;
        var scored = teams
            .Select(t => (Team: t, Distance: t.Names.Select(n => Normalise(n))
                .Where(n => Math.Abs(n.Length - wanted.Length) <= allowed && SameDigits(n, wanted))
                .Select(n => Distance(n, wanted)).DefaultIfEmpty(int.MaxValue).Min()))
            .Where(s => s.Distance <= allowed)
            .OrderBy(s => s.Distance)
            .ToList();
        if (scored.Count == 0)
        {
            var suggestions = teams
                .Where(t => t.Names.Any(n => Normalise(n).Contains(wanted, StringComparison.Ordinal) || wanted.Contains(Normalise(n), StringComparison.Ordinal)))
                .Take(5)
                .ToList();
            return new TeamLookup.NotFound(text, suggestions);
        }

        var best = scored.Where(s => s.Distance == scored[0].Distance).Select(s => s.Team).ToList();
        return best.Count == 1 ? new TeamLookup.Found(best[0], Exact: false) : new TeamLookup.Ambiguous(best);
    }

    public static string Normalise(string text)
    {
        Span<char> buffer = stackalloc char[Math.Min(text.Length, 256)];
        var length = 0;
        foreach (var c in text)
        {
            if (length == buffer.Length) break;
            if (char.IsLetterOrDigit(c)) buffer[length++] = char.ToLowerInvariant(c);
        }
        return new string(buffer[..length]);
    }

    private static bool SameDigits(string a, string b) =>
        a.Where(char.IsDigit).SequenceEqual(b.Where(char.IsDigit));

    /// <summary>Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
