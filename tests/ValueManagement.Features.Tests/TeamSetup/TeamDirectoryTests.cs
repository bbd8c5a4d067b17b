using Microsoft.Extensions.Time.Testing;
using ValueManagement.Core.Organisation;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Storage;
using ValueManagement.Features.TeamSetup;

namespace ValueManagement.Features.Tests.TeamSetup;

public sealed class TeamDirectoryTests : IDisposable
{
    private readonly VmDatabase _database = new(new MemoryStream());
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly TeamDirectory _directory;
    private static readonly Actor Admin = new("44444444-4444-4444-4444-444444444444", "Ali Grant");

    public TeamDirectoryTests() => _directory = new TeamDirectory(_database, new AuditLog(_database), _time);

    public void Dispose() => _database.Dispose();

    private static TeamProfile Ward7 => new() { Id = "ward-7", Name = "Ward 7", Aliases = ["7", "respiratory"], ServiceId = "medicine", MeasureSetId = "acute-ward" };

    [Fact]
    public void ReplaceAll_StoresEverything_AndAuditsEachTeam()
    {
        _directory.ReplaceAll(
            [new Board("nhs-highland", "NHS Highland")],
            [new Service("medicine", "Medicine", "nhs-highland")],
            [Ward7],
            [new RoleAssignment("22222222-2222-2222-2222-222222222222", "Ravi Patel", Role.Coach, RoleScopeKind.Team, "ward-7")],
            Admin);

        Assert.Equal("NHS Highland", Assert.Single(_directory.AllBoards()).Name);
        Assert.Equal("Medicine", _directory.FindService("medicine")!.Name);
        var team = _directory.FindTeam("ward-7")!;
        Assert.Equal(["7", "respiratory"], team.Aliases);
        Assert.Equal(Role.Coach, Assert.Single(_directory.RolesOf("22222222-2222-2222-2222-222222222222")).Role);
        var entries = new AuditLog(_database).ForTeam("ward-7");
        var entry = Assert.Single(entries, e => e.Subject == "team");
        Assert.Equal("import-create", entry.Action);
        Assert.Equal(Admin.Id, entry.ActorId);
        Assert.Equal("import-grant", Assert.Single(entries, e => e.Subject == "role").Action);
    }

    [Fact]
    public void LinkChannel_MovesTheBindingFromAnotherTeam()
    {
        var ward8 = Ward7 with { Id = "ward-8", Name = "Ward 8", Aliases = [] };
        _directory.ReplaceAll([], [], [Ward7, ward8], [], Admin);

        _directory.LinkChannel(_directory.FindTeam("ward-7")!, "19:channel@thread.tacv2", "group-1", Admin);
        _directory.LinkChannel(_directory.FindTeam("ward-8")!, "19:channel@thread.tacv2", null, Admin);

        Assert.Null(_directory.FindTeam("ward-7")!.ChannelConversationId);
        Assert.Equal("ward-8", _directory.TeamForChannel("19:channel@thread.tacv2")!.Id);
    }

    [Fact]
    public void Import_KeepsChannelBindingsMadeInTeams()
    {
        _directory.ReplaceAll([], [], [Ward7], [], Admin);
        _directory.LinkChannel(_directory.FindTeam("ward-7")!, "19:channel@thread.tacv2", null, Admin);

        _directory.ReplaceAll([], [], [Ward7 with { Name = "Ward 7 (respiratory)" }], [], Admin);

        Assert.Equal("19:channel@thread.tacv2", _directory.FindTeam("ward-7")!.ChannelConversationId);
    }

    [Fact]
    public void GrantAndRevoke_AreAudited()
    {
        var role = new RoleAssignment("22222222-2222-2222-2222-222222222222", "Ravi Patel", Role.Coach, RoleScopeKind.Team, "ward-7");
        _directory.Grant(role, Admin);
        Assert.True(_directory.Revoke(role, Admin));
        Assert.False(_directory.Revoke(role, Admin));

        Assert.Equal(["grant", "revoke"], new AuditLog(_database).ForTeam("ward-7").Select(e => e.Action).Reverse());
    }
}
