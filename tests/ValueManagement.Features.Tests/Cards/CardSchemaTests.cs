using System.Text.Json;
using System.Text.Json.Nodes;
using ValueManagement.Features.Cards;
using ValueManagement.Teams.Cards;
using ValueManagement.Teams.Schema;
using ValueManagement.Testing.Cards;

namespace ValueManagement.Features.Tests.Cards;

public sealed class CardSchemaTests
{
    public static TheoryData<string> Kinds => new(CardGallery.Kinds);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void GalleryCard_MeetsSchemaAndTeamsRules(string kind) =>
        AdaptiveCardSchema.Validate(CardGallery.Build(kind).ToJson()).AssertValid($"The '{kind}' card");

    [Fact]
    public void Gallery_HasEveryStartingKind()
    {
        Assert.Subset(CardGallery.Kinds.ToHashSet(), new HashSet<string> { "help", "help-unknown-command", "welcome-team", "welcome-personal" });
        Assert.Equal(CardGallery.Kinds.Count, CardGallery.Kinds.Distinct().Count());
        Assert.All(CardGallery.Kinds, kind => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", kind));
    }

    [Fact]
    public void Gallery_UnknownKind_ThrowsWithTheKnownKinds()
    {
        var e = Assert.Throws<ArgumentException>(() => CardGallery.Build("nope"));
        Assert.Contains("welcome-team", e.Message);
    }

    [Fact]
    public void Validate_ChecksTheAttachmentContent_TheBotSends()
    {
        var card = CardGallery.Build("welcome-team");
        var activity = Activity.Card(card.ToAttachmentContent());

        Assert.Equal(card.ToJson(), activity.Attachments![0].Content!.Value.GetRawText());
        Assert.True(AdaptiveCardSchema.ValidateActivity(activity).IsValid);
    }

    // ---- the validator catches broken cards, with one readable problem each ----

    private static readonly AdaptiveCard Sample = new()
    {
        Body =
        [
            new TextBlock("Ward 7: falls") { Size = TextSize.Large, Weight = FontWeight.Bolder },
            new Image("https://example.org/falls.png", "Falls per week, last 12 weeks") { MsTeams = new TeamsImageProperties(AllowExpand: true) },
        ],
        Actions = [CardActions.Execute("Refresh", "refreshBoxScore", new Dictionary<string, object?> { ["team"] = "ward-7" })],
    };

    private static string Broken(Action<JsonObject> change)
    {
        var card = JsonNode.Parse(CardJson.ToJson(Sample))!.AsObject();
        change(card);
        return card.ToJsonString();
    }

    private static JsonObject Body(JsonObject card, int index) => card["body"]![index]!.AsObject();

    [Fact]
    public void Validate_SampleCard_IsValid() =>
        AdaptiveCardSchema.Validate(Sample).AssertValid("The sample card");

    [Fact]
    public void Validate_ImageWithoutAltText_ReportsTheImage()
    {
        var card = Sample with { Body = [new Image("https://example.org/falls.png", " ")] };

        var report = AdaptiveCardSchema.Validate(card);

        var problem = Assert.Single(report.Problems);
        Assert.Equal(("teams", "$.body[0].altText"), (problem.Check, problem.Path));
        Assert.Contains("altText", problem.Message);
    }

    [Fact]
    public void Validate_ImageAltTextMissingFromJson_ReportsTheImage()
    {
        var report = AdaptiveCardSchema.Validate(Broken(c => Body(c, 1).Remove("altText")));

        Assert.Equal("$.body[1].altText", Assert.Single(report.Problems).Path);
    }

    [Fact]
    public void Validate_UnknownElementType_ReportsOneProblemWithTheAllowedTypes()
    {
        var report = AdaptiveCardSchema.Validate(Broken(c => c["body"]!.AsArray().Add(new JsonObject { ["type"] = "Chart", ["data"] = "1,2,3" })));

        var problem = Assert.Single(report.Problems);
        Assert.Equal("$.body[2]", problem.Path);
        Assert.StartsWith("unknown type \"Chart\"; allowed here: ActionSet, ColumnSet, Container", problem.Message);
        Assert.Contains("TextBlock", problem.Message);
    }

    [Fact]
    public void Validate_UnknownActionType_ListsTheActionTypes()
    {
        var report = AdaptiveCardSchema.Validate(Broken(c => c["actions"]!.AsArray().Add(new JsonObject { ["type"] = "Action.Http", ["title"] = "Go" })));

        var problem = Assert.Single(report.Problems);
        Assert.Equal("$.actions[1]", problem.Path);
        Assert.Contains("Action.Execute, Action.OpenUrl, Action.ShowCard, Action.Submit, Action.ToggleVisibility", problem.Message);
    }

    [Fact]
    public void Validate_ElementWithoutType_SaysTypeIsMissing()
    {
        var report = AdaptiveCardSchema.Validate(Broken(c => Body(c, 0).Remove("type")));

        var problem = Assert.Single(report.Problems);
        Assert.Equal(("$.body[0]", "missing required property \"type\""), (problem.Path, problem.Message));
    }

    [Theory]
    [InlineData("1.6")]
    [InlineData("1.2")]
    public void Validate_WrongVersion_IsReported(string version)
    {
        var report = AdaptiveCardSchema.Validate(Sample with { Version = version });

        var problem = Assert.Single(report.Problems);
        Assert.Equal(("teams", "$.version"), (problem.Check, problem.Path));
        Assert.Contains("\"1.5\"", problem.Message);
    }

    [Fact]
    public void Validate_MissingVersion_IsReported()
    {
        var report = AdaptiveCardSchema.Validate(Broken(c => c.Remove("version")));

        Assert.True(report.Has("$", "missing \"version\""), report.ToString());
    }

    [Fact]
    public void Validate_ExtraPropertyOnElement_NamesPropertyAndElement()
    {
        var report = AdaptiveCardSchema.Validate(Broken(c => Body(c, 0)["colour"] = "attention"));

        var problem = Assert.Single(report.Problems);
        Assert.Equal(("schema", "$.body[0].colour", "unknown property \"colour\" on TextBlock"), (problem.Check, problem.Path, problem.Message));
    }

    [Fact]
    public void Validate_ExtraPropertyOnCard_IsReported()
    {
        var report = AdaptiveCardSchema.Validate(Broken(c => c["title"] = "Box score"));

        var problem = Assert.Single(report.Problems);
        Assert.Equal(("$.title", "unknown property \"title\" on AdaptiveCard"), (problem.Path, problem.Message));
    }

    [Theory]
    [InlineData("huge")]
    [InlineData("largeish")] // the schema's own pattern lets this through; the in-memory anchor catches it
    public void Validate_InvalidEnumValue_ListsTheAllowedValues(string size)
    {
        var report = AdaptiveCardSchema.Validate(Broken(c => Body(c, 0)["size"] = size));

        var problem = Assert.Single(report.Problems);
        Assert.Equal(("$.body[0].size", $"invalid value \"{size}\"; allowed: default, small, medium, large, extraLarge"), (problem.Path, problem.Message));
    }

    [Fact]
    public void Validate_EnumValueInOtherCase_IsAccepted() =>
        AdaptiveCardSchema.Validate(Broken(c => Body(c, 0)["size"] = "Large")).AssertValid("A card with size \"Large\"");

    [Fact]
    public void Validate_WrongKindOfValue_SaysWhatWasExpected()
    {
        var report = AdaptiveCardSchema.Validate(Broken(c => Body(c, 0)["wrap"] = "yes"));

        var problem = Assert.Single(report.Problems);
        Assert.Equal(("$.body[0].wrap", "\"yes\" is a string; expected boolean"), (problem.Path, problem.Message));
    }

    [Fact]
    public void Validate_MissingRequiredProperty_IsNamed()
    {
        var report = AdaptiveCardSchema.Validate(Broken(c => Body(c, 0).Remove("text")));

        var problem = Assert.Single(report.Problems);
        Assert.Equal(("$.body[0]", "missing required property \"text\""), (problem.Path, problem.Message));
    }

    [Fact]
    public void Validate_BrokenElementInsideAnElementFallback_IsReported()
    {
        // Without the in-memory fix the schema accepts any object as fallback "drop".
        var report = AdaptiveCardSchema.Validate(Broken(c => Body(c, 1)["fallback"] = new JsonObject { ["type"] = "TextBlock", ["txt"] = "Chart unavailable" }));

        Assert.True(report.Has("$.body[1].fallback.txt", "unknown property \"txt\" on TextBlock"), report.ToString());
    }

    [Fact]
    public void Validate_NotFullWidth_IsReported()
    {
        var report = AdaptiveCardSchema.Validate(Sample with { MsTeams = new TeamsCardProperties { Width = "Default" } });

        Assert.Equal(("teams", "$.msteams.width"), (Assert.Single(report.Problems).Check, report.Problems[0].Path));
    }

    [Fact]
    public void Validate_TooLarge_ReportsTheSize()
    {
        var big = Sample with { Body = [new TextBlock(new string('x', 29 * 1024))] };

        var report = AdaptiveCardSchema.Validate(big);

        var problem = Assert.Single(report.Problems);
        Assert.Equal(("teams", "$"), (problem.Check, problem.Path));
        Assert.Contains("28 KB", problem.Message);
        Assert.True(AdaptiveCardSchema.Validate(big, CardRules.Teams with { MaxBytes = 40 * 1024 }).IsValid);
    }

    [Fact]
    public void Validate_ExecuteWithoutSubmitFallback_IsReported()
    {
        var report = AdaptiveCardSchema.Validate(Broken(c => c["actions"]![0]!.AsObject().Remove("fallback")));

        Assert.Equal(("teams", "$.actions[0].fallback"), (Assert.Single(report.Problems).Check, report.Problems[0].Path));
    }

    [Fact]
    public void Validate_ExecuteWithoutVerb_IsReported()
    {
        var card = Sample with { Actions = [new ExecuteAction("") { Title = "Go", Fallback = new SubmitAction { Title = "Go" } }] };

        var report = AdaptiveCardSchema.Validate(card);

        Assert.True(report.Has("$.actions[0].verb", "needs a verb"), report.ToString());
    }

    [Fact]
    public void Validate_SubmitFallbackWithoutTheVerb_IsReported()
    {
        var card = Sample with { Actions = [new ExecuteAction("refreshBoxScore") { Title = "Go", Fallback = new SubmitAction { Title = "Go" } }] };

        var report = AdaptiveCardSchema.Validate(card);

        var problem = Assert.Single(report.Problems);
        Assert.Equal("$.actions[0].fallback.data.verb", problem.Path);
    }

    [Fact]
    public void Validate_DuplicateIds_AreReported()
    {
        var card = Sample with
        {
            Body = [new NumberInput { Id = "falls", Label = "Falls" }, new NumberInput { Id = "falls", Label = "Falls with harm" }],
        };

        var report = AdaptiveCardSchema.Validate(card);

        var problem = Assert.Single(report.Problems);
        Assert.Equal(("$.body[1].id", "id \"falls\" is already used at $.body[0]; ids must be unique in a card"), (problem.Path, problem.Message));
    }

    [Fact]
    public void Validate_NotJson_SaysSo()
    {
        var problem = Assert.Single(AdaptiveCardSchema.Validate("{\"type\": ").Problems);

        Assert.Equal("json", problem.Check);
    }

    [Fact]
    public void ValidateActivity_PathsStartAtTheActivity()
    {
        var activity = Activity.Card(new AdaptiveCard { Body = [new Image("https://example.org/x.png", "")] }.ToAttachmentContent());

        var report = AdaptiveCardSchema.ValidateActivity(activity);

        Assert.Equal("$.attachments[0].content.body[0].altText", Assert.Single(report.Problems).Path);
    }

    [Fact]
    public void AssertValid_ListsEveryProblemOnItsOwnLine()
    {
        var report = AdaptiveCardSchema.Validate(Broken(c =>
        {
            Body(c, 0)["colour"] = "red";
            Body(c, 1).Remove("altText");
        }));

        var e = Assert.ThrowsAny<Exception>(() => report.AssertValid("The card"));

        Assert.Contains("[schema] $.body[0].colour: unknown property \"colour\" on TextBlock", e.Message);
        Assert.Contains("[teams] $.body[1].altText:", e.Message);
    }

    [Fact]
    public void Validate_TeamsMentionsAndAllowExpand_AreAccepted()
    {
        var card = Sample with
        {
            Body = [.. Sample.Body, new TextBlock("Thanks <at>Sam Patel</at>")],
            MsTeams = new TeamsCardProperties
            {
                Entities = [Entity.Mention(new ChannelAccount { Id = "29:abc", Name = "Sam Patel" }, "<at>Sam Patel</at>")],
            },
        };

        AdaptiveCardSchema.Validate(card).AssertValid("A card with a mention");
    }
}
