using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using ValueManagement.Cli.Commands;
using ValueManagement.Testing.Manifest;

namespace ValueManagement.Cli.Tests;

public sealed class ManifestCommandTests : IDisposable
{
    private const string AppId = "6f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f";

    private readonly string _temp = Directory.CreateTempSubdirectory("vm-manifest-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    /// <summary>The repository's manifest/ folder, as the build copies it beside the tool.</summary>
    private static string Source(string file) => Path.Combine(ManifestCommand.DefaultSource, file);

    private static JsonElement SourceManifest() => JsonDocument.Parse(File.ReadAllText(Source("manifest.json"))).RootElement;

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await VmCli.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    // ---- the source manifest ----

    [Fact]
    public void SourceManifest_ValidatesAgainstTheOfficialV122Schema() =>
        TeamsManifestSchema.Validate(File.ReadAllText(Source("manifest.json"))).AssertValid("manifest/manifest.json");

    [Fact]
    public void SourceManifest_DeclaresV122AndUsesThePlaceholderIds()
    {
        var manifest = SourceManifest();

        Assert.Equal(TeamsManifestSchema.SchemaUrl, manifest.GetProperty("$schema").GetString());
        Assert.Equal("1.22", manifest.GetProperty("manifestVersion").GetString());
        Assert.Equal(ManifestCommand.PlaceholderId, manifest.GetProperty("id").GetString());
        Assert.Equal(ManifestCommand.PlaceholderId, manifest.GetProperty("bots")[0].GetProperty("botId").GetString());
        Assert.Equal("Value management", manifest.GetProperty("name").GetProperty("short").GetString());
        Assert.Equal("#005EB8", manifest.GetProperty("accentColor").GetString());
    }

    [Fact]
    public void CommandLists_OnePerScopeSet_AtMostTenCommandWordsEach()
    {
        var bot = SourceManifest().GetProperty("bots")[0];
        var botScopes = bot.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!).Order().ToList();
        Assert.Equal(["groupChat", "personal", "team"], botScopes);

        var lists = bot.GetProperty("commandLists").EnumerateArray().ToList();
        var listScopes = lists.SelectMany(l => l.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!)).ToList();
        Assert.Equal(botScopes, listScopes.Order().ToList()); // every scope in exactly one list

        foreach (var list in lists)
        {
            var commands = list.GetProperty("commands").EnumerateArray().ToList();
            Assert.InRange(commands.Count, 1, 10);
            var titles = commands.Select(c => c.GetProperty("title").GetString()!).ToList();
            Assert.Equal(titles.Count, titles.Distinct().Count());
            foreach (var command in commands)
            {
                var title = command.GetProperty("title").GetString()!;
                // Picking a command sends its title as the message, so it must be a command word. Once
                // the commands exist, the integration check compares these titles with the bot's CommandTable.
                Assert.Matches("^[a-z]+$", title);
                Assert.InRange(title.Length, 1, 32);
                Assert.InRange(command.GetProperty("description").GetString()!.Length, 1, 128);
            }
        }
    }

    [Fact]
    public void Icons_HaveTheSizesTeamsRequires()
    {
        Assert.Equal((192, 192), PngImage.ReadSize(File.ReadAllBytes(Source("color.png"))));
        Assert.Equal((32, 32), PngImage.ReadSize(File.ReadAllBytes(Source("outline.png"))));
    }

    [Fact]
    public void OutlineIcon_IsWhiteOnTransparent_WithoutPadding()
    {
        var icon = PngImage.Decode(File.ReadAllBytes(Source("outline.png")));
        int left = icon.Width, right = -1, top = icon.Height, bottom = -1;

        for (var y = 0; y < icon.Height; y++)
        {
            for (var x = 0; x < icon.Width; x++)
            {
                var (r, g, b, a) = icon[x, y];
                Assert.True(a == 0 || (r, g, b) == (255, 255, 255), $"pixel ({x},{y}) is ({r},{g},{b},{a}): must be white or fully transparent");
                if (a == 0) continue;
                (left, right, top, bottom) = (Math.Min(left, x), Math.Max(right, x), Math.Min(top, y), Math.Max(bottom, y));
            }
        }

        Assert.Equal((0, icon.Width - 1, 0, icon.Height - 1), (left, right, top, bottom));
    }

    [Fact]
    public void ColorIcon_IsAWhiteSymbolOfAbout96PxOnSolidNhsBlue()
    {
        var icon = PngImage.Decode(File.ReadAllBytes(Source("color.png")));
        var blue = ((byte)0x00, (byte)0x5E, (byte)0xB8, (byte)255);
        int left = icon.Width, right = -1, top = icon.Height, bottom = -1;

        for (var y = 0; y < icon.Height; y++)
        {
            for (var x = 0; x < icon.Width; x++)
            {
                if (icon[x, y] == blue) continue;
                (left, right, top, bottom) = (Math.Min(left, x), Math.Max(right, x), Math.Min(top, y), Math.Max(bottom, y));
            }
        }

        Assert.Equal(blue, icon[0, 0]);
        Assert.Equal(blue, icon[191, 191]);
        Assert.InRange(right - left + 1, 80, 112);
        Assert.InRange(bottom - top + 1, 80, 112);
        Assert.InRange((left + right) / 2.0, 90, 102); // centred
        Assert.InRange((top + bottom) / 2.0, 90, 102);
    }

    public static TheoryData<string, string, string> BrokenManifests => new()
    {
        { "manifestVersion", "\"1.21\"", "$.manifestVersion: must be \"1.22\"" },
        { "id", "\"ward-7-bot\"", "$.id: \"ward-7-bot\" does not match the pattern" },
        { "accentColor", "\"NHS blue\"", "$.accentColor: \"NHS blue\" does not match the pattern" },
        { "colour", "\"#005EB8\"", "$.colour: unknown property \"colour\"" },
        { "name", "{\"short\": \"Value management for ward teams and more\"}", "$.name.short: is 40 characters long; at most 30 allowed" },
    };

    [Theory]
    [MemberData(nameof(BrokenManifests))]
    public void ManifestSchema_ReportsABrokenManifestReadably(string property, string json, string expected)
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Source("manifest.json")))!.AsObject();
        manifest[property] = JsonNode.Parse(json);

        var report = TeamsManifestSchema.Validate(manifest.ToJsonString());

        var problem = Assert.Single(report.Problems);
        Assert.StartsWith(expected, $"{problem.Path}: {problem.Message}");
    }

    [Fact]
    public void ManifestSchema_ReportsMoreThanTenCommands()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Source("manifest.json")))!.AsObject();
        var commands = manifest["bots"]![0]!["commandLists"]![0]!["commands"]!.AsArray();
        commands.Add(new JsonObject { ["title"] = "extra", ["description"] = "One too many" });

        var report = TeamsManifestSchema.Validate(manifest.ToJsonString());

        Assert.True(report.Has("$.bots[0].commandLists[0].commands", "has 11 items; at most 10 allowed"), report.ToString());
    }

    // ---- vm manifest ----

    [Fact]
    public async Task Manifest_WritesZipWithTheThreeFilesAtTheRoot_IdsAndVersionSet()
    {
        var zipPath = Path.Combine(_temp, "out", "app.zip");

        var (exit, output, error) = await RunAsync("manifest", "--app-id", AppId.ToUpperInvariant(), "--version", "1.2.3", "--host", "vm-bot.nhs-board.example", "--out", zipPath);

        Assert.True(exit == 0, error);
        Assert.Contains(AppId, output);
        using var zip = ZipFile.OpenRead(zipPath);
        Assert.Equal(["color.png", "manifest.json", "outline.png"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal).ToList());

        using var reader = new StreamReader(zip.GetEntry("manifest.json")!.Open());
        var json = await reader.ReadToEndAsync();
        var manifest = JsonDocument.Parse(json).RootElement;
        Assert.Equal(AppId, manifest.GetProperty("id").GetString());
        Assert.Equal(AppId, manifest.GetProperty("bots")[0].GetProperty("botId").GetString());
        Assert.Equal("1.2.3", manifest.GetProperty("version").GetString());
        Assert.Equal(["vm-bot.nhs-board.example"], manifest.GetProperty("validDomains").EnumerateArray().Select(d => d.GetString()).ToList());
        Assert.DoesNotContain(ManifestCommand.PlaceholderId, json);
        TeamsManifestSchema.Validate(json).AssertValid("the packaged manifest.json");

        foreach (var icon in new[] { "color.png", "outline.png" })
        {
            using var stream = new MemoryStream();
            await using (var entry = zip.GetEntry(icon)!.Open())
            {
                await entry.CopyToAsync(stream);
            }
            Assert.Equal(File.ReadAllBytes(Source(icon)), stream.ToArray());
        }
    }

    [Fact]
    public async Task Manifest_WithoutVersion_KeepsTheSourceVersion_AndOverwritesTheZip()
    {
        var zipPath = Path.Combine(_temp, "app.zip");
        await File.WriteAllTextAsync(zipPath, "old");

        var (exit, _, error) = await RunAsync("manifest", "--app-id", AppId, "--out", zipPath);

        Assert.True(exit == 0, error);
        using var zip = ZipFile.OpenRead(zipPath);
        var manifest = JsonDocument.Parse(zip.GetEntry("manifest.json")!.Open()).RootElement;
        Assert.Equal(SourceManifest().GetProperty("version").GetString(), manifest.GetProperty("version").GetString());
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("6f0c1d2e3a4b4c5d8e9f0a1b2c3d4e5f")]
    [InlineData("{6f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f}")]
    public async Task Manifest_BadGuid_ExplainsAndExitsWith2(string appId)
    {
        var zipPath = Path.Combine(_temp, "app.zip");

        var (exit, _, error) = await RunAsync("manifest", "--app-id", appId, "--out", zipPath);

        Assert.Equal(2, exit);
        Assert.Contains($"--app-id must be the bot's Microsoft App ID, a GUID", error);
        Assert.Contains(appId, error);
        Assert.False(File.Exists(zipPath));
    }

    [Fact]
    public async Task Manifest_PlaceholderGuid_IsRefused()
    {
        var (exit, _, error) = await RunAsync("manifest", "--app-id", ManifestCommand.PlaceholderId, "--out", Path.Combine(_temp, "app.zip"));

        Assert.Equal(2, exit);
        Assert.Contains("placeholder", error);
    }

    [Theory]
    [InlineData("--version", "1.2")]
    [InlineData("--version", "v1.2.3")]
    [InlineData("--host", "https://vm-bot.nhs-board.example")]
    [InlineData("--host", "vm-bot.nhs-board.example/api")]
    public async Task Manifest_BadVersionOrHost_ExitsWith2(string option, string value)
    {
        var (exit, _, error) = await RunAsync("manifest", "--app-id", AppId, option, value, "--out", Path.Combine(_temp, "app.zip"));

        Assert.Equal(2, exit);
        Assert.Contains(option, error);
    }
}
