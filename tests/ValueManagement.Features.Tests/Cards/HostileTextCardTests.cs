using System.Text.Json.Nodes;
using ValueManagement.Features.Cards;
using ValueManagement.Teams.Cards;

namespace ValueManagement.Features.Tests.Cards;

/// <summary>
/// Every card kind, made by the bot with markdown in every name and every typed text
/// (<see cref="GalleryBot.HostileText"/>): where Teams renders markdown (a TextBlock, a fact) the text
/// arrives escaped, so no link, emphasis or autolink of a person's making is live on someone else's card;
/// where it does not (text runs, inputs, choices, buttons) it arrives as typed, never with escapes showing.
/// </summary>
public sealed class HostileTextCardTests
{
    public static TheoryData<string> Kinds => new(CardGallery.Kinds);

    private static readonly string[] LiveMarkdown =
    [
        "[Verify your NHS account](https://evil.example)",
        "**urgent**",
        "_now_",
        "<https://evil.example/login>",
    ];

    private static readonly string EscapedText = CardText.Escape(GalleryBot.HostileText);

    // Kinds that show what people typed or named to someone else: the hostile text must reach them.
    private static readonly HashSet<string> ShowPeoplesText =
    [
        "prompt", "prompt-amend", "submitted", "submitted-concurrent", "boxscore", "boxscore-30-measures", "report",
        "report-with-tests-of-change", "report-adopted-change", "report-rebased-limits", "rollup", "rollup-service",
        "rollup-large-board", "rollup-last-page", "team-chosen",
    ];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void HostileNamesAndText_AreNeverLiveMarkdown(string kind)
    {
        var card = JsonNode.Parse(CardGallery.Build(kind, hostile: true).ToJson())!;
        var markdown = new List<string>();
        var plain = new List<string>();
        Collect(card, markdown, plain);

        foreach (var text in markdown)
        {
            foreach (var live in LiveMarkdown)
                Assert.False(Unescaped(text, live), $"The '{kind}' card renders \"{live}\" as markdown in: {text}");
        }
        foreach (var text in plain)
            Assert.DoesNotContain(@"\[Verify", text, StringComparison.Ordinal);

        if (ShowPeoplesText.Contains(kind))
            Assert.Contains(markdown, text => text.Contains(EscapedText, StringComparison.Ordinal));
    }

    [Fact]
    public void Escape_LeavesOrdinaryTextAlone_AndEscapesWhatStartsMarkdown()
    {
        Assert.Equal("Ward 7 (Respiratory): 4.8% sickness, -3 on last week, 2026-W48", CardText.Escape("Ward 7 (Respiratory): 4.8% sickness, -3 on last week, 2026-W48"));
        Assert.Equal(@"\[Verify\](https://evil.example) \*\*urgent\*\* \_now\_ \<https://evil.example\>", CardText.Escape("[Verify](https://evil.example) **urgent** _now_ <https://evil.example>"));
        Assert.Equal("Two things:\n\\- first\n12\\. second\n\\# heading\n\\> quote", CardText.Escape("Two things:\n- first\n12. second\n# heading\n> quote"));
        Assert.Equal(@"a\\b \`code\` \~\~gone\~\~ a\|b", CardText.Escape(@"a\b `code` ~~gone~~ a|b"));
    }

    [Fact]
    public void InterpolatedTextBlock_EscapesItsHoles_NotItsLiterals()
    {
        var name = "**Ward 7**";
        var block = new TextBlock($"**{name}**: box score, {CardText.Markdown("_as made by the bot_")}");

        Assert.Equal(@"**\*\*Ward 7\*\***: box score, _as made by the bot_", block.Text);
    }

    /// <summary>Whether <paramref name="live"/> appears in <paramref name="text"/> with its first character not escaped.</summary>
    private static bool Unescaped(string text, string live)
    {
        for (var at = text.IndexOf(live, StringComparison.Ordinal); at >= 0; at = text.IndexOf(live, at + 1, StringComparison.Ordinal))
        {
            if (at == 0 || text[at - 1] != '\\') return true;
        }
        return false;
    }

    /// <summary>Text Teams renders as markdown (TextBlock text, fact titles and values), and text it shows as it is.</summary>
    private static void Collect(JsonNode? node, List<string> markdown, List<string> plain)
    {
        switch (node)
        {
            case JsonObject obj:
                var type = obj["type"]?.GetValue<string>();
                if (type == "TextBlock" && obj["text"] is JsonValue text) markdown.Add(text.GetValue<string>());
                if (type is "TextRun" && obj["text"] is JsonValue run) plain.Add(run.GetValue<string>());
                if (type is not null && type.StartsWith("Input.", StringComparison.Ordinal))
                {
                    if (obj["label"] is JsonValue label) plain.Add(label.GetValue<string>());
                    if (obj["value"] is JsonValue { } value && value.TryGetValue<string>(out var typed)) plain.Add(typed);
                }
                if (type is not null && type.StartsWith("Action.", StringComparison.Ordinal) && obj["title"] is JsonValue title) plain.Add(title.GetValue<string>());
                if (obj["facts"] is JsonArray facts)
                {
                    foreach (var fact in facts)
                    {
                        if (fact?["title"] is JsonValue factTitle) markdown.Add(factTitle.GetValue<string>());
                        if (fact?["value"] is JsonValue factValue) markdown.Add(factValue.GetValue<string>());
                    }
                }
                if (obj["choices"] is JsonArray choices)
                {
                    foreach (var choice in choices)
                        if (choice?["title"] is JsonValue choiceTitle) plain.Add(choiceTitle.GetValue<string>());
                }
                foreach (var (key, child) in obj)
                {
                    if (key is not ("facts" or "choices")) Collect(child, markdown, plain);
                }
                break;
            case JsonArray array:
                foreach (var child in array) Collect(child, markdown, plain);
                break;
        }
    }
}
