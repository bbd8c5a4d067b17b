using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Routing;

namespace ValueManagement.Features.People;

/// <summary>Finds the person a role command names, and what is left of the arguments (the team).</summary>
public static class PersonArguments
{
    public static (NamedPerson? Person, string TeamText) Find(TurnContext turn, string arguments, TeamDirectory directory)
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
            return (new NamedPerson(id, name), Fold(rest));
        }

        var words = arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return (null, arguments);
        if (Guid.TryParse(words[^1], out var objectId))
        {
            var known = directory.RolesOf(objectId.ToString()).FirstOrDefault();
            return (new NamedPerson(objectId.ToString(), known?.DisplayName ?? objectId.ToString()), string.Join(' ', words[..^1]));
        }

        // Someone who already holds a role, by the name they hold it under (longest match from the end).
        var people = directory.AllRoles().GroupBy(r => r.AadObjectId).Select(g => g.First()).ToList();
        for (var take = Math.Min(words.Length, 6); take >= 1; take--)
        {
            var typed = string.Join(' ', words[^take..]);
            var matches = people.Where(p => string.Equals(p.DisplayName, typed, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matches.Count == 1) return (new NamedPerson(matches[0].AadObjectId, matches[0].DisplayName), string.Join(' ', words[..^take]));
        }
        return (null, arguments);
    }

    private static string Fold(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
