using System.Text.RegularExpressions;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.BoxScores;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Help;
using ValueManagement.Teams.Cards;

namespace ValueManagement.Features.Cards;

/// <summary>One kind of card the bot sends, built by the code that sends it.</summary>
public sealed record GalleryCard(string Kind, AdaptiveCard Card);

/// <summary>
/// Every kind of card the bot can send, each built by the same builder the bot uses, with sample
/// data. The schema tests check every entry against the official Adaptive Cards schema and the
/// Teams rules, and <c>vm cards --out DIR</c> writes each one to <c>DIR/&lt;kind&gt;.json</c> for
/// the checker and renderer. A card the bot sends but this list lacks is never checked.
/// <para>
/// <b>Adding a card kind</b> takes one line in <see cref="Entries"/>:
/// <c>new("boxscore", () =&gt; BoxScoreCard.Build(CardSamples.BoxScore)),</c>. The kind is
/// lower-case words joined by hyphens, unique, and becomes a file name. Name each variant that
/// changes the layout separately (<c>boxscore-no-target</c>, <c>submit-form-late</c>). Put the
/// sample inputs in <see cref="CardSamples"/> (or a feature's own samples class), not in the builder.
/// </para>
/// </summary>
public static partial class CardGallery
{
    private sealed record Entry(string Kind, Func<AdaptiveCard> Build);

    private static readonly Entry[] Entries =
    [
        new("help", () => HelpCard.Build(CardSamples.Commands)),
        new("help-unknown-command", () => HelpCard.Build(CardSamples.Commands, unknownText: "boxscroe ward 7", inChannel: true)),
        new("welcome-team", () => WelcomeCard.Build(inTeam: true)),
        new("welcome-personal", () => WelcomeCard.Build(inTeam: false)),
        new("prompt", () => PromptCard.Build(CardSamples.Prompt())),
        new("prompt-amend", () => PromptCard.Build(CardSamples.Prompt(amend: true))),
        new("prompt-errors", () => PromptCard.Build(CardSamples.PromptWithErrors())),
        new("submitted", () => SubmittedCard.Build(CardSamples.Ward7, DefaultMeasureSets.AcuteWard, CardSamples.Submitted(), TeamClock.Default)),
        new("submitted-concurrent", () => SubmittedCard.Build(CardSamples.Ward7, DefaultMeasureSets.AcuteWard, CardSamples.Submitted(), TeamClock.Default, CardSamples.ConcurrentChanges)),
        new("boxscore", () => BoxScoreCard.Build(BoxScoreSamples.Ward7, BoxScoreSamples.Ward7BoxScore())),
        new("boxscore-30-measures", () => BoxScoreCard.Build(BoxScoreSamples.Ward7, BoxScoreSamples.ThirtyMeasures())),
        new("boxscore-awaiting-finance", () => BoxScoreCard.Build(BoxScoreSamples.Ward7, BoxScoreSamples.Ward7AwaitingFinance())),
        new("boxscore-no-figures", () => BoxScoreCard.Build(BoxScoreSamples.Ward7, BoxScoreSamples.NoFiguresYet())),
        new("report", () => ReportOutCard.Build(BoxScoreSamples.Ward7, BoxScoreSamples.Ward7BoxScore())),
        new("rollup", () => RollupCard.Build(new RollupScope(Core.Organisation.RoleScopeKind.Board, "nhs-highland", "NHS Highland"), BoxScoreSamples.Rollup())),
        new("rollup-last-page", () => RollupCard.Build(new RollupScope(Core.Organisation.RoleScopeKind.Board, "nhs-highland", "NHS Highland"), BoxScoreSamples.Rollup(), offset: 40)),
    ];

    static CardGallery()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in Entries)
        {
            if (!KindPattern().IsMatch(entry.Kind))
                throw new InvalidOperationException($"Card kind '{entry.Kind}' must be lower-case words joined by hyphens: it becomes a file name.");
            if (!seen.Add(entry.Kind))
                throw new InvalidOperationException($"Card kind '{entry.Kind}' is listed twice in the gallery.");
        }
    }

    /// <summary>The kinds, in gallery order.</summary>
    public static IReadOnlyList<string> Kinds { get; } = Entries.Select(e => e.Kind).ToList();

    /// <summary>Builds one kind afresh.</summary>
    public static AdaptiveCard Build(string kind) =>
        Entries.FirstOrDefault(e => e.Kind == kind)?.Build()
        ?? throw new ArgumentException($"No card kind '{kind}'. Known kinds: {string.Join(", ", Kinds)}.", nameof(kind));

    /// <summary>Builds every kind afresh.</summary>
    public static IEnumerable<GalleryCard> All() => Entries.Select(e => new GalleryCard(e.Kind, e.Build()));

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex KindPattern();
}
