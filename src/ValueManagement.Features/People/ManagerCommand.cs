using ValueManagement.Core.Organisation;
using ValueManagement.Features.Audit;
using ValueManagement.Teams.Routing;

namespace ValueManagement.Features.People;

/// <summary>
/// <c>manager add|remove [service|board] &lt;name&gt; &lt;person&gt;</c>: managers and executive sponsors read
/// a service's or a board's roll-up and every team's box score in it. Admins only. A name that is
/// both a service and a board means the service unless "board" is typed.
/// </summary>
public sealed class ManagerCommand(RoleCommandServices services) : IBotCommand
{
    private const string Example = "**manager add service Medicine @Dana Moss** or **manager add board NHS Highland dana.moss@nhs.scot**";

    public CommandInfo Info { get; } = new("manager", "manager add|remove [service|board] <name> @person", "Add or remove a manager or sponsor of a service or board; admins")
    {
        Order = 73,
        Audience = CommandAudience.Admins,
    };

    public async Task ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var turn = request.Turn;
        var words = request.Words.ToList();
        var adding = words.Count > 0 && words[0].Equals("add", StringComparison.OrdinalIgnoreCase);
        var removing = words.Count > 0 && words[0].Equals("remove", StringComparison.OrdinalIgnoreCase);
        if (!adding && !removing)
        {
            await turn.ReplyAsync($"Use {Example}.", cancellationToken);
            return;
        }
        if (services.Access.CheckAdmin(turn.Caller, "add or remove managers") is { Allowed: false } refused)
        {
            await turn.ReplyAsync(refused.Refusal!, cancellationToken);
            return;
        }

        RoleScopeKind[] kinds = [RoleScopeKind.Service, RoleScopeKind.Board];
        var rest = words.Skip(1).ToList();
        if (rest.Count > 0 && (rest[0].Equals("service", StringComparison.OrdinalIgnoreCase) || rest[0].Equals("board", StringComparison.OrdinalIgnoreCase)))
        {
            kinds = [rest[0].Equals("board", StringComparison.OrdinalIgnoreCase) ? RoleScopeKind.Board : RoleScopeKind.Service];
            rest.RemoveAt(0);
        }

        var findScope = services.Directory.ScopeFinder(kinds);

        var reference = PersonArguments.Find(turn, string.Join(' ', rest), services.Directory, text => findScope(text) is not null);
        if (reference is null || reference.ScopeText.Length == 0)
        {
            await turn.ReplyAsync($"Which service or board, and who? For example {Example}.", cancellationToken);
            return;
        }
        if (findScope(reference.ScopeText) is not { } scope)
        {
            var known = string.Join(", ", services.Directory.AllServices().Select(s => s.Name).Concat(services.Directory.AllBoards().Select(b => b.Name)));
            await turn.ReplyAsync($"I couldn't find a service or board called \"{reference.ScopeText}\". Known: {(known.Length == 0 ? "none yet" : known)}.", cancellationToken);
            return;
        }

        var (person, answer) = await PersonArguments.ResolveAsync(reference, services.People, cancellationToken);
        if (person is null)
        {
            await turn.ReplyAsync(answer!, cancellationToken);
            return;
        }

        var actor = new Actor(turn.Caller.AadObjectId!, turn.Caller.Name);
        var what = $"{(scope.Kind == RoleScopeKind.Board ? "board" : "service")} **{scope.Name}**";
        if (adding)
        {
            services.Directory.Grant(new RoleAssignment(person.AadObjectId, person.DisplayName, Role.Manager, scope.Kind, scope.Id), actor);
            await turn.ReplyAsync($"Done: **{person.DisplayName}** is now a manager of the {what}: they can read its roll-up and its teams' box scores.", cancellationToken);
            return;
        }

        var existing = services.Directory.RolesIn(scope.Kind, scope.Id).FirstOrDefault(r => r.Role == Role.Manager && string.Equals(r.AadObjectId, person.AadObjectId, StringComparison.OrdinalIgnoreCase));
        if (existing is null || !services.Directory.Revoke(existing, actor))
        {
            await turn.ReplyAsync($"**{person.DisplayName}** isn't a manager of the {what}, so nothing changed.", cancellationToken);
            return;
        }
        await turn.ReplyAsync($"Done: **{person.DisplayName}** is no longer a manager of the {what}.", cancellationToken);
    }
}
