using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ValueManagement.Features.Charts;

public enum ChartTokenStatus
{
    Valid,
    /// <summary>Not a token this signer could have made: wrong characters, too short or too long, or an unreadable payload.</summary>
    Malformed,
    /// <summary>Well formed, but signed with no key this signer knows (tampered, or another bot's key).</summary>
    BadSignature,
    /// <summary>Authentic, but past its expiry.</summary>
    Expired,
}

/// <summary>The outcome of checking a token; <see cref="Request"/> is set only when <see cref="Status"/> is <see cref="ChartTokenStatus.Valid"/>.</summary>
public readonly record struct ChartTokenCheck(ChartTokenStatus Status, ChartRequest? Request = null, DateTimeOffset? ExpiresAt = null);

/// <summary>
/// Makes and checks the tokens of chart URLs (<c>/charts/{token}.png</c>). A token is the
/// base64url of a small text payload (format tag, team, measure, week, kind, data version, expiry
/// in Unix seconds, one per line) followed by its HMAC-SHA256 under the signing key. The payload
/// is readable by anyone who has the URL, which is fine: it holds ids, not figures. Nobody without
/// the key can make one. Tokens survive restarts as long as the key does; retired keys are still
/// accepted (not used for signing) so that a key can be rotated without breaking a year of channel history.
/// </summary>
public sealed class ChartUrlSigner
{
    public const int MinKeyBytes = 32;
    public const int MaxTokenLength = 1024;
    private const int SignatureBytes = 32;
    private const string FormatTag = "vm-chart-1";

    private readonly byte[] _signingKey;
    private readonly byte[][] _verificationKeys;
    private readonly TimeProvider _time;

    public ChartUrlSigner(byte[] signingKey, TimeSpan lifetime, TimeProvider time, IEnumerable<byte[]>? retiredKeys = null)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        ArgumentNullException.ThrowIfNull(time);
        var retired = retiredKeys?.ToArray() ?? [];
        if (signingKey.Length < MinKeyBytes || retired.Any(k => k is null || k.Length < MinKeyBytes))
            throw new ArgumentException($"Chart signing keys must be at least {MinKeyBytes} bytes.", nameof(signingKey));
        if (lifetime <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, "The URL lifetime must be positive.");
        _signingKey = [.. signingKey];
        _verificationKeys = [_signingKey, .. retired.Select(k => k.ToArray())];
        Lifetime = lifetime;
        _time = time;
    }

    public TimeSpan Lifetime { get; }

    /// <summary>
    /// A token valid for <see cref="Lifetime"/>, rounded up to the next midnight UTC: the same chart
    /// asked for twice in a day gets the same URL, so Teams and caches see one picture, not many.
    /// </summary>
    public string CreateToken(ChartRequest request)
    {
        var expires = _time.GetUtcNow() + Lifetime;
        var midnight = new DateTimeOffset(expires.UtcDateTime.Date, TimeSpan.Zero);
        return CreateToken(request, midnight == expires ? midnight : midnight.AddDays(1));
    }

    public string CreateToken(ChartRequest request, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.EnsureValid();
        var payload = Encoding.UTF8.GetBytes(string.Join('\n',
            FormatTag,
            request.TeamId,
            request.MeasureKey,
            request.Week,
            request.Kind == ChartKind.Sparkline ? "s" : "f",
            request.DataVersion ?? "",
            expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        var token = new byte[payload.Length + SignatureBytes];
        payload.CopyTo(token, 0);
        HMACSHA256.HashData(_signingKey, payload, token.AsSpan(payload.Length));
        return Base64Url.EncodeToString(token);
    }

    /// <summary>Checks the signature (in constant time, against every known key) before reading anything in the payload, then the expiry.</summary>
    public ChartTokenCheck Verify(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength || !token.All(IsBase64UrlChar))
            return new(ChartTokenStatus.Malformed);
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            return new(ChartTokenStatus.Malformed);
        }
        if (bytes.Length <= SignatureBytes)
            return new(ChartTokenStatus.Malformed);

        var payload = bytes.AsSpan(0, bytes.Length - SignatureBytes);
        var signature = bytes.AsSpan(bytes.Length - SignatureBytes);
        Span<byte> expected = stackalloc byte[SignatureBytes];
        var authentic = false;
        foreach (var key in _verificationKeys)
        {
            HMACSHA256.HashData(key, payload, expected);
            authentic |= CryptographicOperations.FixedTimeEquals(expected, signature);
        }
        if (!authentic)
            return new(ChartTokenStatus.BadSignature);

        if (Parse(payload) is not { } parsed)
            return new(ChartTokenStatus.Malformed);
        var (request, expiresAt) = parsed;
        if (_time.GetUtcNow() >= expiresAt)
            return new(ChartTokenStatus.Expired, ExpiresAt: expiresAt);
        return new(ChartTokenStatus.Valid, request, expiresAt);
    }

    private static (ChartRequest Request, DateTimeOffset ExpiresAt)? Parse(ReadOnlySpan<byte> payload)
    {
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(payload);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        var fields = text.Split('\n');
        if (fields.Length != 7 || fields[0] != FormatTag) return null;
        ChartKind? kind = fields[4] switch { "f" => ChartKind.Full, "s" => ChartKind.Sparkline, _ => null };
        if (kind is null) return null;
        if (!long.TryParse(fields[6], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            return null;
        var request = new ChartRequest(fields[1], fields[2], fields[3], kind.Value, fields[5].Length == 0 ? null : fields[5]);
        if (request.Validate().Count > 0) return null;
        return (request, DateTimeOffset.FromUnixTimeSeconds(seconds));
    }

    private static bool IsBase64UrlChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    /// <summary>Decodes a configured key: standard base64 (or base64url), at least <see cref="MinKeyBytes"/> bytes; null if it is neither.</summary>
    public static byte[]? DecodeKey(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64)) return null;
        var text = base64.Trim();
        byte[]? key = null;
        var buffer = new byte[text.Length];
        if (Convert.TryFromBase64String(text, buffer, out var written))
            key = buffer[..written];
        else if (text.All(IsBase64UrlChar) && Base64Url.IsValid(text))
            key = Base64Url.DecodeFromChars(text);
        return key is { Length: >= MinKeyBytes } ? key : null;
    }
}
