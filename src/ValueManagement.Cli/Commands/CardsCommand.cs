using System.CommandLine;
using ValueManagement.Features.Cards;

namespace ValueManagement.Cli.Commands;

/// <summary><c>vm cards --out DIR</c>: every card kind the bot sends, as <c>DIR/&lt;kind&gt;.json</c>, for checking and rendering (see <see cref="CardGallery"/>).</summary>
public static class CardsCommand
{
    public static Command Create(CliContext context)
    {
        var outOption = new Option<DirectoryInfo>("--out")
        {
            Description = "The folder to write <kind>.json into (created if missing).",
            Required = true,
        };
        var hostileOption = new Option<bool>("--hostile")
        {
            Description = "Give every name and typed text markdown a person could type (a link, bold, italic), to check the cards show it as text.",
        };
        var cards = new Command("cards", "Write every card kind the bot sends, as the exact card JSON (indented), one file per kind: each made by the bot itself from the demo data, on a fixed clock.");
        cards.Options.Add(outOption);
        cards.Options.Add(hostileOption);
        cards.SetAction(parse =>
        {
            var folder = parse.GetValue(outOption)!;
            folder.Create();
            var count = 0;
            foreach (var card in CardGallery.All(parse.GetValue(hostileOption)))
            {
                var file = Path.Combine(folder.FullName, card.Kind + ".json");
                File.WriteAllText(file, card.ToJson(indented: true) + Environment.NewLine);
                context.Output.WriteLine($"{card.Kind}.json ({card.SizeInBytes:N0} bytes)");
                count++;
            }
            context.Output.WriteLine($"Wrote {count} cards to {folder.FullName}");
            return 0;
        });
        return cards;
    }
}
