using Microsoft.Extensions.DependencyInjection;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Core.Improvement;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Improvement;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.People;

public sealed class PdsaTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    private static async Task<string> SayAsync(BotTestHost host, string text, TestUser from)
    {
        host.Cloud.ClearCalls();
        using var response = await host.SendAsync(host.Activities.Personal(text, from));
        response.EnsureSuccessStatusCode();
        return Assert.Single(await host.Cloud.WaitForCallsAsync(1)).Body?["text"]?.GetValue<string>() ?? string.Empty;
    }

    [Fact]
    public async Task TestOfChange_StartNoteAdoptList_EndToEnd_Audited()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        var started = await SayAsync(host, "pdsa ward 7 add Safety huddle at 14:00 for falls", TestUser.CoachPatel);
        Assert.Contains("Started **P1**", started, StringComparison.Ordinal);
        Assert.Contains("(measure: Falls)", started, StringComparison.Ordinal);

        Assert.Contains("cycle 1 plan", await SayAsync(host, "pdsa P1 cycle plan Huddle on the day shift for a week", TestUser.NurseJones), StringComparison.Ordinal);
        Assert.Contains("cycle 1 study", await SayAsync(host, "pdsa p1 cycle study Fewer falls on the day shift", TestUser.NurseJones), StringComparison.Ordinal);
        Assert.Contains("Only", await SayAsync(host, "pdsa P1 status adopted", TestUser.NurseJones), StringComparison.Ordinal);
        var adopted = await SayAsync(host, "pdsa P1 status adopted", TestUser.CoachPatel);
        Assert.Contains("now **adopted**", adopted, StringComparison.Ordinal);
        Assert.Contains("rebase", adopted, StringComparison.Ordinal);

        var list = await SayAsync(host, "pdsa 7", TestUser.NurseJones);
        Assert.Contains("**P1** Safety huddle at 14:00 (measure: Falls): adopted", list, StringComparison.Ordinal);
        Assert.Contains("cycle 1 study: Fewer falls on the day shift", list, StringComparison.Ordinal);

        var details = await SayAsync(host, "pdsa P1", TestUser.ManagerMoss);
        Assert.Contains("Huddle on the day shift for a week", details, StringComparison.Ordinal);

        var test = host.Services.GetRequiredService<TestOfChangeStore>().Find(new TestOfChangeId(1))!;
        Assert.Equal((TestOfChangeStatus.Adopted, "falls", 2), (test.Status, test.MeasureKey, test.Notes.Count));
        var audit = host.Services.GetRequiredService<AuditLog>().ForSubject(TestOfChangeStore.AuditSubject, "P1");
        Assert.Equal(["add", "cycle-note", "cycle-note", "status"], audit.Select(e => e.Action));
    }

    [Fact]
    public async Task ReportOutCard_ShowsTheTestsOfChange_AndItsFormAddsACycleNote()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);
        await SayAsync(host, "pdsa ward 7 add Safety huddle at 14:00 for falls", TestUser.CoachPatel);
        await SayAsync(host, "pdsa P1 cycle plan Huddle on the day shift for a week", TestUser.NurseJones);

        host.Cloud.ClearCalls();
        using (var response = await host.SendAsync(host.Activities.Personal("report ward 7", TestUser.NurseJones)))
            response.EnsureSuccessStatusCode();
        var card = Assert.Single(await host.Cloud.WaitForCallsAsync(1)).Card!.ToJsonString();
        Assert.Contains("Tests of change", card, StringComparison.Ordinal);
        Assert.Contains("Safety huddle at 14:00 (Falls)", card, StringComparison.Ordinal);
        Assert.Contains("Cycle 1 plan: Huddle on the day shift for a week", card, StringComparison.Ordinal);
        Assert.Contains(PdsaNoteAction.VerbName, card, StringComparison.Ordinal);

        var answer = await host.InvokeAsync(host.Activities.Invoke(PdsaNoteAction.VerbName,
            new { teamId = TestOrganisation.Ward7, testId = "P1", stage = "do", note = "Ran the huddle on five day shifts." }, TestUser.NurseJones));
        Assert.Contains("Noted on **P1**, cycle 1 do", answer!["value"]!.GetValue<string>(), StringComparison.Ordinal);

        var refused = await host.InvokeAsync(host.Activities.Invoke(PdsaNoteAction.VerbName,
            new { teamId = TestOrganisation.Ward7, testId = "P1", stage = "study", note = "Asked patient 943 476 5919 about it." }, TestUser.NurseJones));
        Assert.DoesNotContain("Noted", refused!["value"]!.GetValue<string>(), StringComparison.Ordinal);

        var test = host.Services.GetRequiredService<TestOfChangeStore>().Find(new TestOfChangeId(1))!;
        Assert.Equal(["plan", "do"], test.Notes.Select(n => StatusWords.Describe(n.Stage)));
    }

    [Fact]
    public async Task NoteWithAChiNumber_RefusedAndNothingStored()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);
        await SayAsync(host, "pdsa ward 7 add Huddle", TestUser.CoachPatel);

        var reply = await SayAsync(host, "pdsa P1 cycle do Spoke to patient 943 476 5919 about it", TestUser.NurseJones);

        Assert.DoesNotContain("Noted", reply, StringComparison.Ordinal);
        Assert.Empty(host.Services.GetRequiredService<TestOfChangeStore>().Find(new TestOfChangeId(1))!.Notes);
    }

    [Fact]
    public async Task TitleEndingInForSomethingThatIsNotAMeasure_KeptInTheTitle()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        await SayAsync(host, "pdsa ward 7 add Handover checklist for night staff", TestUser.CoachPatel);

        var test = host.Services.GetRequiredService<TestOfChangeStore>().Find(new TestOfChangeId(1))!;
        Assert.Equal(("Handover checklist for night staff", null), (test.Title, test.MeasureKey));
    }

    [Fact]
    public async Task UnknownIdAndBadWords_AnsweredClearly()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        Assert.Contains("no test of change P9", await SayAsync(host, "pdsa P9 status adopted", TestUser.CoachPatel), StringComparison.Ordinal);
        await SayAsync(host, "pdsa ward 7 add Huddle", TestUser.CoachPatel);
        Assert.Contains("status testing", await SayAsync(host, "pdsa P1 status finished", TestUser.CoachPatel), StringComparison.Ordinal);
        Assert.Contains("plan|do|study|act", await SayAsync(host, "pdsa P1 cycle think about it", TestUser.CoachPatel), StringComparison.Ordinal);
        Assert.Contains("already testing", await SayAsync(host, "pdsa P1 status testing", TestUser.CoachPatel), StringComparison.Ordinal);
    }
}
