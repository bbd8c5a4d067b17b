using ValueManagement.Features.Cards;
using ValueManagement.Teams.Cards;
using ValueManagement.Testing.Cards;

namespace ValueManagement.Cli.Tests;

public sealed class CardsCommandTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("vm-cards-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task Cards_WritesEveryGalleryKind_AsTheExactCardJson()
    {
        var folder = Path.Combine(_temp, "cards");
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await VmCli.RunAsync(["cards", "--out", folder], output, error);

        Assert.True(exit == 0, error.ToString());
        Assert.Equal(
            CardGallery.Kinds.Select(k => k + ".json").Order(StringComparer.Ordinal),
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var kind in CardGallery.Kinds)
        {
            var json = await File.ReadAllTextAsync(Path.Combine(folder, kind + ".json"));
            // Built again by a fresh bot: the fixed clock and the demo data make every build the same.
            var again = CardGallery.Build(kind);
            Assert.Equal(again.ToJson(indented: true), json.TrimEnd());
            // The size limit is for what goes on the wire (compact), not the indented file for people.
            AdaptiveCardSchema.Validate(again.ToJson()).AssertValid($"{kind}.json");
        }
    }
}
