using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Teams.Routing;
using ValueManagement.Testing.Manifest;

namespace ValueManagement.Bot.Tests.Help;

/// <summary>The manifest's command menus offer only commands the bot answers to, in the scope they are offered in.</summary>
public sealed class ManifestCommandListTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    private static string ManifestPath()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "manifest", "manifest.json");
            if (File.Exists(Path.Combine(folder.FullName, "ValueManagement.sln")) && File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("manifest/manifest.json not found above the test folder");
    }

    [Fact]
    public async Task EveryListedCommand_IsInTheCommandTable_ForThatScope_AtMostTenPerScope()
    {
        var text = await File.ReadAllTextAsync(ManifestPath());
        TeamsManifestSchema.Validate(text).AssertValid("manifest/manifest.json");
        await using var host = environment.StartHost();
        var table = host.Services.GetRequiredService<CommandTable>();

        using var manifest = JsonDocument.Parse(text);
        foreach (var list in manifest.RootElement.GetProperty("bots")[0].GetProperty("commandLists").EnumerateArray())
        {
            var titles = list.GetProperty("commands").EnumerateArray().Select(c => c.GetProperty("title").GetString()!).ToList();
            Assert.InRange(titles.Count, 1, 10);
            foreach (var scope in list.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()))
            {
                var wanted = scope switch { "personal" => CommandScopes.Personal, "team" => CommandScopes.Team, _ => CommandScopes.GroupChat };
                foreach (var title in titles)
                {
                    var match = table.Match(title);
                    Assert.True(match is not null, $"The {scope} menu offers '{title}', which is not a command");
                    Assert.True(match!.Value.Command.Info.Scopes.HasFlag(wanted), $"The {scope} menu offers '{title}', which does not work there");
                }
            }
        }
    }
}
