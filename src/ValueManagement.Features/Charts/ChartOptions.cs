using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ValueManagement.Features.Charts;

/// <summary>
/// Chart images on cards (<c>Charts</c> section). Without <see cref="SigningKey"/> or
/// <see cref="PublicBaseUrl"/> the feature is off and cards carry no images (in Development a
/// random key stands in, so URLs last until the bot restarts). A value that is given but wrong
/// stops the bot at start.
/// </summary>
public sealed class ChartOptions
{
    public const string SectionName = "Charts";

    /// <summary>Base64, at least 32 bytes (e.g. <c>openssl rand -base64 32</c>). Keep it: changing it breaks every chart in channel history.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Earlier signing keys, still accepted for URLs already posted, never used to sign new ones.</summary>
    public List<string> RetiredSigningKeys { get; set; } = [];

    /// <summary>The bot's public base URL, as Teams reaches it: https (http on loopback only in Development).</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>How long a chart URL works. A year by default: a channel's history keeps its pictures.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "1830.00:00:00")]
    public TimeSpan UrlLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>A TrueType font to draw text with, for hosts with no fonts installed; by default an installed sans-serif family.</summary>
    public string? FontFile { get; set; }

    /// <summary>Charts drawn at the same time; more requests wait. Default: the number of processors.</summary>
    [Range(1, 64)]
    public int? MaxConcurrentRenders { get; set; }
}

public sealed class ChartOptionsValidator(IHostEnvironment environment) : IValidateOptions<ChartOptions>
{
    public ValidateOptionsResult Validate(string? name, ChartOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.SigningKey) && ChartUrlSigner.DecodeKey(options.SigningKey) is null)
            failures.Add($"Charts:SigningKey must be base64 of at least {ChartUrlSigner.MinKeyBytes} random bytes (e.g. the output of 'openssl rand -base64 32').");
        for (var i = 0; i < options.RetiredSigningKeys.Count; i++)
        {
            if (ChartUrlSigner.DecodeKey(options.RetiredSigningKeys[i]) is null)
                failures.Add($"Charts:RetiredSigningKeys:{i} must be base64 of at least {ChartUrlSigner.MinKeyBytes} bytes.");
        }
        if (!string.IsNullOrWhiteSpace(options.PublicBaseUrl) && CheckBaseUrl(options.PublicBaseUrl, environment.IsDevelopment()) is { } problem)
            failures.Add(problem);
        if (!string.IsNullOrWhiteSpace(options.FontFile) && !File.Exists(options.FontFile))
            failures.Add($"Charts:FontFile '{options.FontFile}' does not exist.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Null when the URL can be a chart base URL, else why not.</summary>
    internal static string? CheckBaseUrl(string value, bool development)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            return $"Charts:PublicBaseUrl '{value}' must be an absolute https URL, such as https://vm-bot.example.nhs.uk/.";
        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
            return $"Charts:PublicBaseUrl '{value}' must not have a query, fragment or user name.";
        if (uri.Scheme == "http")
        {
            if (!development)
                return $"Charts:PublicBaseUrl '{value}' must use https: Teams fetches card images over https only.";
            if (!IsLoopback(uri))
                return $"Charts:PublicBaseUrl '{value}' may use http only on a loopback address (localhost, 127.0.0.1, [::1]), in Development.";
        }
        return null;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
}
