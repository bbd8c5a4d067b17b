using System.Text.Json;
using ValueManagement.Teams.Cards;

namespace ValueManagement.Teams.Tests.Cards;

public sealed class CardJsonTests
{
    [Fact]
    public void Card_IsVersion15_FullWidth_WithTypeFirst()
    {
        var json = CardJson.ToJson(new AdaptiveCard { Body = [new TextBlock("hi")] });
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("AdaptiveCard", root.EnumerateObject().First().Value.GetString());
        Assert.Equal("1.5", root.GetProperty("version").GetString());
        Assert.Equal("Full", root.GetProperty("msteams").GetProperty("width").GetString());
        Assert.Equal("TextBlock", root.GetProperty("body")[0].GetProperty("type").GetString());
        Assert.True(root.GetProperty("body")[0].GetProperty("wrap").GetBoolean());
    }

    [Fact]
    public void Enums_AreWrittenAsTheSchemaSpellsThem()
    {
        var json = CardJson.ToJson(new AdaptiveCard { Body = [new TextBlock("x") { Size = TextSize.ExtraLarge, Color = TextColor.Attention, Spacing = Spacing.None }] });
        Assert.Contains("\"size\":\"extraLarge\"", json, StringComparison.Ordinal);
        Assert.Contains("\"color\":\"attention\"", json, StringComparison.Ordinal);
        Assert.Contains("\"spacing\":\"none\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Execute_HasASubmitFallbackCarryingTheVerb()
    {
        var action = CardActions.Execute("Go", "doIt", new Dictionary<string, object?> { ["teamId"] = "ward-7" });
        var json = CardJson.ToJson(new AdaptiveCard { Actions = [action] });
        using var document = JsonDocument.Parse(json);
        var execute = document.RootElement.GetProperty("actions")[0];
        Assert.Equal("Action.Execute", execute.GetProperty("type").GetString());
        Assert.Equal("doIt", execute.GetProperty("verb").GetString());
        Assert.Equal("ward-7", execute.GetProperty("data").GetProperty("teamId").GetString());
        var fallback = execute.GetProperty("fallback");
        Assert.Equal("Action.Submit", fallback.GetProperty("type").GetString());
        Assert.Equal("doIt", fallback.GetProperty("data").GetProperty("verb").GetString());
    }

    [Fact]
    public void Table_CarriesBothSpellingsOfTheHeaderFlag()
    {
        var table = new Table([new TableColumnDefinition(1)], [new TableRow([new TableCell([new TextBlock("a")])])]);
        var json = CardJson.ToJson(new AdaptiveCard { Body = [table] });
        Assert.Contains("\"firstRowAsHeader\":true", json, StringComparison.Ordinal);
        Assert.Contains("\"firstRowAsHeaders\":true", json, StringComparison.Ordinal);
    }
}
