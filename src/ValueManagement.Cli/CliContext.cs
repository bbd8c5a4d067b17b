using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using ValueManagement.Features.Admin;
using ValueManagement.Cli.Commands;
using ValueManagement.Features.Storage;
using ValueManagement.Features.Storage.PostgreSql;

namespace ValueManagement.Cli;

/// <summary>What every command shares: the output streams, the configuration and the data file.</summary>
public sealed class CliContext(TextWriter output, TextWriter error)
{
    public static readonly Option<string?> DbOption = new("--db")
    {
        Description = "The LiteDB data file (default: Storage:LiteDb:Path from the settings).",
        Recursive = true,
    };

    public static readonly Option<string?> EnvironmentOption = new("--environment")
    {
        Description = "Which appsettings.{Environment}.json to read (default: DOTNET_ENVIRONMENT, ASPNETCORE_ENVIRONMENT, else Production).",
        Recursive = true,
    };

    public const string DefaultBotUrl = "http://localhost:3978";

    /// <summary>Where the running bot answers, for commands that fall back to its admin endpoints when it holds the data file.</summary>
    public static readonly Option<string> BotUrlOption = new("--bot-url")
    {
        Description = $"The running bot, asked when it holds the data file (default: {DefaultBotUrl}). Its admin endpoints answer only on the same machine.",
        Recursive = true,
        DefaultValueFactory = _ => DefaultBotUrl,
    };

    public TextWriter Output { get; } = output;
    public TextWriter Error { get; } = error;

    /// <summary>The bot's settings: its appsettings files (copied beside this tool), then environment variables.</summary>
    public IConfiguration Configuration(ParseResult parse)
    {
        var environment = parse.GetValue(EnvironmentOption)
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? "Production";
        return new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
    }

    public string DatabasePath(ParseResult parse)
    {
        var explicitPath = parse.GetValue(DbOption);
        if (!string.IsNullOrWhiteSpace(explicitPath)) return explicitPath;
        var options = new StorageOptions();
        Configuration(parse).GetSection(StorageOptions.SectionName).Bind(options);
        return options.LiteDb.Path;
    }

    /// <summary>
    /// Opens the data file for this command alone. A file has one writer: when the bot holds it,
    /// this says so instead of waiting or corrupting it.
    /// </summary>
    public VmDatabase OpenDatabase(ParseResult parse)
    {
        var path = DatabasePath(parse);
        try
        {
            return new VmDatabase(path);
        }
        catch (IOException e)
        {
            throw new CliException($"The data file {Path.GetFullPath(path)} is in use, probably by the running bot ({e.Message}). Stop the bot, or ask it through its admin endpoint.");
        }
    }

    /// <summary>
    /// The database the bot's settings name, for this command alone: PostgreSQL when <c>Storage:Provider</c> is
    /// <c>PostgreSql</c> (several writers are fine there), else the data file, or null when another process (the running
    /// bot) holds it, so the command can ask the bot instead. Fails at once, never waits.
    /// </summary>
    /// <param name="creates">Whether the command writes, and so may make the data file when there is none; a command that only reads never does.</param>
    public IDocumentDatabase? TryOpenDatabase(ParseResult parse, bool creates)
    {
        if (ConfiguredPostgreSql(parse) is { } connectionString) return PostgreSqlAccess.Open(connectionString);
        return TryOpenDataFile(parse, creates);
    }

    /// <summary>
    /// Like <see cref="TryOpenDatabase"/> for a <c>--check</c>, which changes nothing: with no data file yet, it checks against
    /// an empty database in memory rather than make the file.
    /// </summary>
    public IDocumentDatabase? TryOpenDatabaseToCheck(ParseResult parse)
    {
        if (ConfiguredPostgreSql(parse) is null && !File.Exists(DatabasePath(parse))) return new VmDatabase(new MemoryStream());
        return TryOpenDatabase(parse, creates: false);
    }

    /// <summary>The LiteDB data file for this command alone, or null when another process (the running bot) holds it.</summary>
    /// <param name="creates">Whether the command writes, and so may make the data file when there is none.</param>
    public VmDatabase? TryOpenDataFile(ParseResult parse, bool creates)
    {
        var path = DatabasePath(parse);
        if (!creates) RequireDataFile(path);
        try
        {
            return new VmDatabase(path);
        }
        catch (DatabaseInUseException)
        {
            return null;
        }
    }

    /// <summary>
    /// Refuses a missing or empty (0-byte) data file, for commands that only read it: opening it would
    /// make a new, empty one and report or copy that as if it were the bot's.
    /// </summary>
    public static void RequireDataFile(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new CliException($"There is no data file at {full} (nothing was created). The bot makes it when it first starts; "
                + "a relative Storage:LiteDb:Path is relative to the current directory, for the bot and vm alike: run vm from the directory the bot was started in, or give --db.");
        }
        if (new FileInfo(full).Length == 0)
            throw new CliException($"The data file {full} is empty (0 bytes): it holds no data, so there is nothing to read or back up. Give --db for the bot's data file.");
    }

    /// <summary>
    /// The PostgreSQL connection string of the bot's settings when <c>Storage:Provider</c> is <c>PostgreSql</c> and no
    /// <c>--db</c> names a data file; otherwise null (the data is in the LiteDB file).
    /// </summary>
    public string? ConfiguredPostgreSql(ParseResult parse)
    {
        if (!string.IsNullOrWhiteSpace(parse.GetValue(DbOption))) return null;
        var options = new StorageOptions();
        Configuration(parse).GetSection(StorageOptions.SectionName).Bind(options);
        if (options.Provider != StorageProvider.PostgreSql) return null;
        return string.IsNullOrWhiteSpace(options.PostgreSql.ConnectionString)
            ? throw new CliException("Storage:Provider is PostgreSql but Storage:PostgreSql:ConnectionString is not set: set it, or give --db for a data file.")
            : options.PostgreSql.ConnectionString;
    }

    /// <summary>The running bot's admin endpoints, for when it holds the data file.</summary>
    public AdminClient Bot(ParseResult parse)
    {
        var url = parse.GetValue(BotUrlOption) ?? DefaultBotUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new CliException($"--bot-url {url} is not an http:// or https:// address.");
        return new AdminClient(uri, Path.GetFullPath(DatabasePath(parse)));
    }

    /// <summary>Runs a command's work, reporting a <see cref="CliException"/> as its one line and exit code.</summary>
    public async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (CliException e)
        {
            await Error.WriteLineAsync(e.Message);
            return e.ExitCode;
        }
        catch (PostgreSqlStorageException e)
        {
            await Error.WriteLineAsync($"PostgreSQL failed: {MigrateCommand.FirstLine(e.Message)}.");
            return 1;
        }
    }

    /// <summary>The bytes of an input file, or a clear error.</summary>
    public static byte[] ReadInput(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot read {path}: {e.Message}");
        }
    }

    /// <summary>Writes an output file whole (through a temporary file, so a failure leaves no half file).</summary>
    public static void WriteOutput(string path, byte[] content)
    {
        var full = Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            var temporary = full + ".partial";
            File.WriteAllBytes(temporary, content);
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot write {path}: {e.Message}");
        }
    }
}

/// <summary>
/// The running bot's admin endpoints (<c>/admin/...</c>, loopback only), for the operations an
/// operator needs while the bot holds the data file.
/// </summary>
public sealed class AdminClient(Uri botUrl, string databasePath) : IDisposable
{
    private readonly HttpClient _http = CreateHttp(botUrl);

    public Uri BotUrl { get; } = botUrl;

    /// <summary>A reply the command reads: 200, or 422 with a report of problems.</summary>
    public sealed record Reply(HttpStatusCode Status, byte[] Body, HttpResponseHeaders Headers)
    {
        public T Json<T>() => JsonSerializer.Deserialize<T>(Body, AdminProtocol.Json)
            ?? throw new CliException("The bot's reply was empty.");
    }

    /// <summary>Sends a request; anything but 200 or 422 becomes a <see cref="CliException"/> that says what happened.</summary>
    public async Task<Reply> SendAsync(HttpMethod method, string pathAndQuery, byte[]? body, string? contentType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? "application/octet-stream");
        }
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"The data file {databasePath} is in use, and no bot answered at {BotUrl} ({e.Message}). "
                + "If the bot runs elsewhere on this machine, give its address with --bot-url; otherwise stop whatever holds the file.");
        }
        using (response)
        {
            var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity)
                return new Reply(response.StatusCode, content, response.Headers);
            var detail = ProblemDetail(content);
            throw response.StatusCode switch
            {
                HttpStatusCode.Forbidden => new CliException($"The bot at {BotUrl} refused: {detail}. Its admin endpoints answer only on the machine it runs on."),
                HttpStatusCode.NotFound => new CliException($"The bot at {BotUrl} has no admin endpoint {pathAndQuery.Split('?')[0]} (is it an older version?)."),
                _ => new CliException($"The bot at {BotUrl} answered {(int)response.StatusCode} {response.ReasonPhrase}: {detail}"),
            };
        }
    }

    private static string ProblemDetail(byte[] content)
    {
        try
        {
            var problem = JsonDocument.Parse(content).RootElement;
            var title = problem.TryGetProperty("title", out var t) ? t.GetString() : null;
            var detail = problem.TryGetProperty("detail", out var d) ? d.GetString() : null;
            return string.Join(" ", new[] { title, detail }.Where(x => !string.IsNullOrWhiteSpace(x)));
        }
        catch (JsonException)
        {
            return System.Text.Encoding.UTF8.GetString(content.AsSpan(0, Math.Min(content.Length, 300)));
        }
    }

    private static HttpClient CreateHttp(Uri botUrl)
    {
        var http = new HttpClient { BaseAddress = botUrl, Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Add(AdminProtocol.ClientHeader, "1");
        var user = new string(Environment.UserName.Where(c => c is > ' ' and < (char)127).ToArray());
        http.DefaultRequestHeaders.Add(AdminProtocol.UserHeader, user.Length > 0 ? user : "unknown");
        return http;
    }

    public void Dispose() => _http.Dispose();
}
