using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Admin;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Storage;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Features.Tests.TeamSetup;

namespace ValueManagement.Features.Tests.Admin;

public sealed class AdminEndpointsTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 15, 0, TimeSpan.Zero));
    private VmDatabase _database = null!;
    private AdminHost _host = null!;

    public async Task InitializeAsync()
    {
        _database = new VmDatabase(_folder.File("valuemanagement.db"));
        _host = await AdminHost.StartAsync(_database, _time);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _database.Dispose();
        _folder.Dispose();
    }

    private TeamDirectory Directory => new(_database, new AuditLog(_database), _time);

    private static HttpRequestMessage Request(HttpMethod method, string path, byte[]? body = null, string contentType = "application/json", bool asVm = true)
    {
        var request = new HttpRequestMessage(method, path);
        if (asVm)
        {
            request.Headers.Add(AdminProtocol.ClientHeader, "1");
            request.Headers.Add(AdminProtocol.UserHeader, "ali");
        }
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        return request;
    }

    private Task<HttpResponseMessage> ImportTeams(byte[] body, string query = "?file=teams.json") =>
        _host.Client.SendAsync(Request(HttpMethod.Post, "/admin/teams/import" + query, body));

    [Fact]
    public async Task TeamsImport_FromThisMachine_ImportsAndReturnsTheReport()
    {
        using var response = await ImportTeams(TeamSetupFiles.Example);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = (await response.Content.ReadFromJsonAsync<TeamSetupImportReport>(AdminProtocol.Json))!;
        Assert.True(report.Applied);
        Assert.Equal("teams.json imported (1 board, 2 services, 1 measure set, 3 teams, 7 roles).", report.Lines()[0]);
        Assert.Equal(3, Directory.AllTeams().Count);
        Assert.Equal("vm:ali", new AuditLog(_database).ForSubject("team", "sleep-service").Single().ActorId);
    }

    [Fact]
    public async Task TeamsImport_OfABadFile_Returns422WithEveryProblem_AndChangesNothing()
    {
        var bad = Encoding.UTF8.GetBytes(TeamSetupFiles.Small.With("\"service\": \"medicine\"", "\"service\": \"medcine\""));

        using var response = await ImportTeams(bad);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var report = (await response.Content.ReadFromJsonAsync<TeamSetupImportReport>(AdminProtocol.Json))!;
        Assert.Equal(
            "teams.json:14:18: team \"ward-7\": service \"medcine\" does not exist (services: medicine, surgery); did you mean \"medicine\"? [teams[0].service]",
            Assert.Single(report.Problems).ToString());
        Assert.Empty(Directory.AllTeams());
    }

    [Fact]
    public async Task TeamsImport_CheckOnly_ChangesNothing()
    {
        using var response = await ImportTeams(TeamSetupFiles.Example, "?file=teams.json&check=true");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False((await response.Content.ReadFromJsonAsync<TeamSetupImportReport>(AdminProtocol.Json))!.Applied);
        Assert.Empty(Directory.AllTeams());
    }

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("192.168.0.10")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:10.1.2.3")]
    public async Task TeamsImport_FromAnotherMachine_IsForbidden_AndChangesNothing(string remote)
    {
        var request = Request(HttpMethod.Post, "/admin/teams/import", TeamSetupFiles.Example);
        request.Headers.Add(AdminHost.RemoteAddressHeader, remote);

        using var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("The admin endpoints answer only on this machine.", problem.GetProperty("title").GetString());
        Assert.StartsWith("the caller (", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(Directory.AllTeams());
    }

    [Theory]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("127.0.0.2")]
    public async Task Loopback_InAnyForm_IsAllowed(string remote)
    {
        var request = Request(HttpMethod.Get, "/admin/teams/export");
        request.Headers.Add(AdminHost.RemoteAddressHeader, remote);

        using var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ForwardingHeaders_AreNeverTrusted_EvenWhenTheHostHonoursThem()
    {
        await using var trusting = await AdminHost.StartAsync(_database, _time, trustForwardedHeaders: true);
        var fromOutside = Request(HttpMethod.Post, "/admin/teams/import", TeamSetupFiles.Example);
        fromOutside.Headers.Add(AdminHost.RemoteAddressHeader, "203.0.113.9");
        fromOutside.Headers.Add("X-Forwarded-For", "127.0.0.1");

        using var response = await trusting.Client.SendAsync(fromOutside);

        // The middleware made the caller look like 127.0.0.1 and left X-Original-For behind.
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("through a proxy (X-Original-For)", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Directory.AllTeams());
    }

    [Theory]
    [InlineData("X-Forwarded-For", "198.51.100.7")]
    [InlineData("Forwarded", "for=198.51.100.7")]
    [InlineData("X-Real-IP", "198.51.100.7")]
    public async Task ARequestRelayedByAProxyOnThisMachine_IsForbidden(string header, string value)
    {
        var request = Request(HttpMethod.Post, "/admin/backup");
        request.Headers.Add(header, value);

        using var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("proxy", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(System.IO.Directory.Exists(_folder.File("backups")));
    }

    [Fact]
    public async Task ARequestForAnotherHostName_IsForbidden()
    {
        // DNS rebinding: a page on evil.example resolved to 127.0.0.1 still says Host: evil.example.
        var request = Request(HttpMethod.Get, "/admin/teams/export");
        request.Headers.Host = "evil.example";

        using var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ARequestWithoutTheVmHeader_IsForbidden()
    {
        using var response = await _host.Client.SendAsync(Request(HttpMethod.Post, "/admin/teams/import", TeamSetupFiles.Example, "text/plain", asVm: false));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(Directory.AllTeams());
    }

    [Fact]
    public async Task Backup_StreamsAConsistentCopy_AndKeepsItInTheBackupsFolder()
    {
        await ImportTeams(TeamSetupFiles.Example);

        using var response = await _host.Client.SendAsync(Request(HttpMethod.Post, "/admin/backup"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("backups/valuemanagement-20261130T091500Z.db", response.Headers.GetValues(AdminProtocol.BackupHeader).Single());
        var streamed = _folder.File("streamed.db");
        await File.WriteAllBytesAsync(streamed, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(await File.ReadAllBytesAsync(_folder.File("backups/valuemanagement-20261130T091500Z.db")), await File.ReadAllBytesAsync(streamed));
        using var copy = new VmDatabase(streamed);
        Assert.Equal(3, new TeamDirectory(copy, new AuditLog(copy), _time).AllTeams().Count);
    }

    [Fact]
    public async Task MeasuresImportAndExport_WorkThroughTheBot()
    {
        await ImportTeams(TeamSetupFiles.Example);
        var csv = "team,week,measure,value\nsleep-service,2026-W47,payCost,9000\nsleep-service,2026-W47,nonPayCost,1500\n"u8.ToArray();

        using var imported = await _host.Client.SendAsync(Request(HttpMethod.Post, "/admin/measures/import?file=costs.csv", csv, "text/csv"));
        using var exported = await _host.Client.SendAsync(Request(HttpMethod.Get, "/admin/measures/export?team=sleep&from=2026-W40&to=2026-W48"));

        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var report = (await imported.Content.ReadFromJsonAsync<MeasureImportReport>(AdminProtocol.Json))!;
        Assert.Equal(2, report.ValuesChanged);
        Assert.Equal("import:costs.csv", new SubmissionStore(_database, new AuditLog(_database), _time).Load("sleep-service", IsoWeek.Parse("2026-W47")).Revisions[0].By.ObjectId);
        Assert.Equal("team,week,measure,value\r\nsleep-service,2026-W47,payCost,9000\r\nsleep-service,2026-W47,nonPayCost,1500\r\n", await exported.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task MeasuresImport_OfBadRows_Returns422WithTheirLines()
    {
        await ImportTeams(TeamSetupFiles.Example);
        var csv = "team,week,measure,value\nsleep-service,2026-W47,payCost,lots\n"u8.ToArray();

        using var response = await _host.Client.SendAsync(Request(HttpMethod.Post, "/admin/measures/import?file=costs.csv", csv, "text/csv"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var report = (await response.Content.ReadFromJsonAsync<MeasureImportReport>(AdminProtocol.Json))!;
        Assert.StartsWith("costs.csv:2: value: \"lots\" is not a number", Assert.Single(report.Problems).ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?team=ward-99", "Unknown team.")]
    [InlineData("?from=2026-W5", "Not a week.")]
    public async Task MeasuresExport_WithABadQuery_Returns400(string query, string title)
    {
        await ImportTeams(TeamSetupFiles.Example);

        using var response = await _host.Client.SendAsync(Request(HttpMethod.Get, "/admin/measures/export" + query));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(title, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task TeamsExport_IsTheExportersFile()
    {
        await ImportTeams(TeamSetupFiles.Example);

        using var response = await _host.Client.SendAsync(Request(HttpMethod.Get, "/admin/teams/export"));

        Assert.Equal(new TeamSetupExporter(Directory, new MeasureSetStore(_database)).Export(), await response.Content.ReadAsByteArrayAsync());
    }
}
