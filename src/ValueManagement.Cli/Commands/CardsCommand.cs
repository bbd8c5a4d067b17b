using System.CommandLine;
using ValueManagement.Features.Cards;
using ValueManagement.Teams.Cards;

namespace ValueManagement.Cli.Commands;

/// <summary><c>vm cards --out DIR</c>: every card kind the bot sends, as <c>DIR/&lt;kind&gt;.json</c>, for checking and rendering.</summary>
public static class CardsCommand
{
    public static Command Create(CliContext context)
    {
        var outOption = new Option<DirectoryInfo>("--out")
        {
            Description = "The folder to write <kind>.json into (created if missing).",
            Required = true,
        };
        var cards = new Command("cards", "Write every card kind the bot sends, as the exact card JSON (indented), one file per kind.");
        cards.Options.Add(outOption);
        cards.SetAction(parse =>
        {
            var folder = parse.GetValue(outOption)!;
            folder.Create();
            var count = 0;
            foreach (var (kind, card) in CardGallery.All())
            {
                var file = Path.Combine(folder.FullName, kind + ".json");
                File.WriteAllText(file, CardJson.ToJson(card, indented: true) + Environment.NewLine);
                context.Output.WriteLine($"{kind}.json ({CardJson.SizeInBytes(card):N0} bytes)");
                count++;
            }
            context.Output.WriteLine($"Wrote {count} cards to {folder.FullName}");
            return 0;
        });
        return cards;
    }
}
