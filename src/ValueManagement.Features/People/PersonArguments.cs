using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Routing;

namespace ValueManagement.Features.People;

/// <summary>
/// The person a role command names, split from the scope (team, service or board) it names.
/// <see cref="Known"/> is set when the person was settled without Graph (an @mention, an Entra
/// object id, or the name of someone who already holds a role); else <see cref="Typed"/> is a name,
/// email address or UPN to look up.
/// </summary>
public sealed record PersonReference(NamedPerson? Known, string? Typed, string ScopeText);

/// <summary>Finds the person a role command names, and what is left of the arguments.</summary>
public static class PersonArguments
{
    /// <param name="isScope">Whether leading words name the scope (e.g. a team), to split "ward 7 Sam Smith".</param>
    public static PersonReference? Find(TurnContext turn, string arguments, TeamDirectory directory, Func<string, bool> isScope)
    {
        var activity = turn.Activity;
        foreach (var entity in activity.Entities ?? [])
        {
            if (!string.Equals(entity.Type, "mention", StringComparison.OrdinalIgnoreCase)) continue;
            if (entity.Mentioned is not { AadObjectId: { } id } mentioned) continue;
            if (string.Equals(mentioned.Id, activity.Recipient?.Id, StringComparison.OrdinalIgnoreCase)) continue;
            var name = mentioned.Name ?? id;
            var rest = arguments;
            foreach (var form in new[] { entity.Text, $"<at>{name}</at>", name })
                if (!string.IsNullOrEmpty(form)) rest = rest.Replace(form, " ", StringComparison.OrdinalIgnoreCase);
            return new PersonReference(new NamedPerson(id, name), null, Fold(rest));
        }

        var words = arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return null;
        if (Guid.TryParse(words[^1], out var objectId))
        {
            // "ward 7 Sam Smith <id>" (as a "which team?" card carries a person): the words after the scope are the name.
            var id = objectId.ToString();
            var before = words[..^1];
            var scopeWords = ScopeLength(before, before.Length, isScope);
            var known = directory.RolesOf(id).FirstOrDefault();
            var name = known?.DisplayName ?? (scopeWords > 0 && scopeWords < before.Length ? string.Join(' ', before[scopeWords..]) : id);
            return new PersonReference(new NamedPerson(id, name), null, string.Join(' ', scopeWords > 0 ? before[..scopeWords] : before));
        }

        if (words[^1].Contains('@', StringComparison.Ordinal))
            return new PersonReference(null, words[^1], string.Join(' ', words[..^1]));

        // Someone who already holds a role, by the name they hold it under (longest match from the end).
        var people = directory.AllRoles().GroupBy(r => r.AadObjectId).Select(g => g.First()).ToList();
        for (var take = Math.Min(words.Length, 6); take >= 1; take--)
        {
            var typed = string.Join(' ', words[^take..]);
            var matches = people.Where(p => string.Equals(p.DisplayName, typed, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matches.Count == 1) return new PersonReference(new NamedPerson(matches[0].AadObjectId, matches[0].DisplayName), null, string.Join(' ', words[..^take]));
        }

        // A name to look up: the longest leading run of words that names the scope is the scope.
        var scope = ScopeLength(words, words.Length - 1, isScope);
        return scope > 0
            ? new PersonReference(null, string.Join(' ', words[scope..]), string.Join(' ', words[..scope]))
            : new PersonReference(null, string.Join(' ', words), string.Empty);
    }

    /// <summary>The person as text that <see cref="Find"/> reads back the same way, after a team id (what a "which team?" card carries).</summary>
    public static string AsText(PersonReference reference) => reference.Known is { } known
        ? known.DisplayName == known.AadObjectId ? known.AadObjectId : $"{known.DisplayName} {known.AadObjectId}"
        : reference.Typed ?? string.Empty;

    /// <summary>
    /// How many leading words (at most <paramref name="most"/>) name the scope, longest first; 0 when none do.
    /// Only the first few words are tried: no scope name is longer, and a long message costs no more than a short one.
    /// </summary>
    private static int ScopeLength(string[] words, int most, Func<string, bool> isScope)
    {
        for (var take = Math.Min(most, MaxScopeWords); take >= 1; take--)
        {
            if (isScope(string.Join(' ', words[..take])))
                return take;
        }
        return 0;
    }

    private const int MaxScopeWords = 12;

    /// <summary>Settles a reference: the known person, or a Graph lookup; otherwise the words to answer with.</summary>
    public static async Task<(NamedPerson? Person, string? Answer)> ResolveAsync(PersonReference reference, IPeopleDirectory people, CancellationToken cancellationToken)
    {
        if (reference.Known is { } known) return (known, null);
        return await people.FindAsync(reference.Typed ?? string.Empty, cancellationToken) switch
        {
            PersonSearch.Found found => (found.Person, null),
            PersonSearch.Ambiguous ambiguous => (null, $"More than one person matches \"{reference.Typed}\": {string.Join(", ", ambiguous.Candidates.Take(5).Select(Label))}. Use their email address or @mention them."),
            PersonSearch.NotFound => (null, $"I couldn't find anyone called \"{reference.Typed}\" in your organisation. Check the spelling, use their email address, or @mention them."),
            PersonSearch.Failed failed => (null, failed.Message),
            _ => (null, "I couldn't tell who you mean. @mention the person."),
        };
    }

    private static string Label(NamedPerson person) => person.Email is null ? person.DisplayName : $"{person.DisplayName} ({person.Email})";

    private static string Fold(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
