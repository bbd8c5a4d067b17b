using System.CommandLine;
using System.IO.Compression;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ValueManagement.Cli.Commands;

/// <summary>
/// <c>vm manifest --app-id GUID [--version 1.2.3] [--host HOST] --out app.zip</c>: the Teams app
/// package. It holds manifest.json, color.png and outline.png at the root of the zip. The sources
/// are the repository's <c>manifest/</c> folder, copied beside this tool (or <c>--source DIR</c>).
/// </summary>
public static partial class ManifestCommand
{
    /// <summary>The id and botId in the source manifest; the package gets the real app id instead.</summary>
    public const string PlaceholderId = "00000000-0000-0000-0000-000000000000";

    public const string ManifestFile = "manifest.json";

    /// <summary>Exit code for bad arguments.</summary>
    public const int UsageError = 2;

    public static string DefaultSource => Path.Combine(AppContext.BaseDirectory, "manifest");

    public static Command Create(CliContext context)
    {
        var appIdOption = new Option<string>("--app-id")
        {
            Description = "The bot's Microsoft App ID (the Entra application's client id), a GUID. It becomes the app id and the botId.",
            Required = true,
        };
        var versionOption = new Option<string?>("--version")
        {
            Description = "The app version, MAJOR.MINOR.PATCH. Raise it for every upload (default: the version in manifest.json).",
        };
        var hostOption = new Option<string?>("--host")
        {
            Description = "The bot's public host name, e.g. vm-bot.nhs-board.example. Listed in validDomains.",
        };
        var outOption = new Option<FileInfo>("--out")
        {
            Description = "The zip file to write.",
            Required = true,
        };
        var sourceOption = new Option<DirectoryInfo?>("--source")
        {
            Description = "A folder with manifest.json and its icons (default: the manifest folder beside this tool).",
        };

        var command = new Command("manifest", "Write the Teams app package (manifest.json and icons in a zip) for this bot's App ID.");
        command.Options.Add(appIdOption);
        command.Options.Add(versionOption);
        command.Options.Add(hostOption);
        command.Options.Add(outOption);
        command.Options.Add(sourceOption);
        command.SetAction(parse =>
        {
            var appId = parse.GetValue(appIdOption)!.Trim();
            if (!Guid.TryParseExact(appId, "D", out var id))
                return Fail(context, $"--app-id must be the bot's Microsoft App ID, a GUID like 6f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f; \"{appId}\" is not one.");
            if (id == Guid.Empty)
                return Fail(context, $"--app-id {PlaceholderId} is the placeholder; give the bot's Microsoft App ID.");

            var version = parse.GetValue(versionOption)?.Trim();
            if (version is not null && !SemVer().IsMatch(version))
                return Fail(context, $"--version must be MAJOR.MINOR.PATCH, e.g. 1.2.3; \"{version}\" is not.");

            var host = parse.GetValue(hostOption)?.Trim();
            if (host is not null && (host.Contains("://", StringComparison.Ordinal) || Uri.CheckHostName(host) != UriHostNameType.Dns))
                return Fail(context, $"--host must be a host name only, e.g. vm-bot.nhs-board.example (no https://, no path); \"{host}\" is not.");

            var source = parse.GetValue(sourceOption)?.FullName ?? DefaultSource;
            var output = parse.GetValue(outOption)!;
            return Write(context, source, output, id, version, host);
        });
        return command;
    }

    private static int Write(CliContext context, string source, FileInfo output, Guid id, string? version, string? host)
    {
        var manifestPath = Path.Combine(source, ManifestFile);
        if (!File.Exists(manifestPath))
            return Fail(context, $"No {ManifestFile} in {source}.", exitCode: 1);

        JsonObject manifest;
        try
        {
            manifest = JsonNode.Parse(File.ReadAllText(manifestPath))?.AsObject() ?? throw new JsonException("empty");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return Fail(context, $"{manifestPath} is not a JSON object: {e.Message}", exitCode: 1);
        }

        var icons = new List<string>();
        foreach (var key in new[] { "color", "outline" })
        {
            var icon = manifest["icons"]?[key]?.GetValue<string>();
            if (icon is null || icon.Contains('/') || icon.Contains('\\') || !File.Exists(Path.Combine(source, icon)))
                return Fail(context, $"icons.{key} in {manifestPath} must name a PNG file next to it (found {icon ?? "nothing"}).", exitCode: 1);
            icons.Add(icon);
        }

        var appId = id.ToString("D");
        manifest["id"] = appId;
        foreach (var bot in manifest["bots"]?.AsArray() ?? [])
        {
            if (bot is JsonObject b) b["botId"] = appId;
        }
        if (version is not null) manifest["version"] = version;
        if (host is not null) manifest["validDomains"] = new JsonArray(host);

        output.Directory?.Create();
        if (output.Exists) output.Delete();
        using (var zip = ZipFile.Open(output.FullName, ZipArchiveMode.Create))
        {
            var entry = zip.CreateEntry(ManifestFile, CompressionLevel.Optimal);
            using (var stream = entry.Open())
            {
                stream.Write(JsonSerializer.SerializeToUtf8Bytes(manifest, WriteOptions));
            }
            foreach (var icon in icons)
                zip.CreateEntryFromFile(Path.Combine(source, icon), icon, CompressionLevel.Optimal);
        }

        context.Output.WriteLine($"Wrote {output.FullName}: {ManifestFile} (id {appId}, version {manifest["version"]}), {string.Join(", ", icons)}");
        if (manifest["developer"] is JsonObject developer && developer.Any(p => p.Value is JsonValue v && v.TryGetValue<string>(out var url) && IsPlaceholderUrl(url)))
            context.Output.WriteLine("Note: the developer URLs still use the placeholder domain; set them for your organisation in manifest.json (see manifest/README.md).");
        return 0;
    }

    private static bool IsPlaceholderUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Host.EndsWith(".example", StringComparison.OrdinalIgnoreCase);

    private static int Fail(CliContext context, string message, int exitCode = UsageError)
    {
        context.Error.WriteLine(message);
        return exitCode;
    }

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        // A file, not HTML: keep apostrophes and < > readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [GeneratedRegex(@"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")]
    private static partial Regex SemVer();
}
