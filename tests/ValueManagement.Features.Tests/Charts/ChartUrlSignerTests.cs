using System.Buffers.Binary;
using System.Buffers.Text;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Features.Charts;

namespace ValueManagement.Features.Tests.Charts;

public sealed class ChartUrlSignerTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] OtherKey = Enumerable.Range(101, 32).Select(i => (byte)i).ToArray();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 15, 0, TimeSpan.Zero));
    private static readonly ChartRequest Ward7Falls = new("ward-7", "falls", "2026-W48", ChartKind.Full, "rev-1042");

    private ChartUrlSigner Signer(byte[]? key = null, IEnumerable<byte[]>? retired = null) =>
        new(key ?? Key, TimeSpan.FromDays(365), _time, retired);

    [Fact]
    public void RoundTrip_GivesBackTheRequest()
    {
        var signer = Signer();
        foreach (var request in new[]
        {
            Ward7Falls,
            new ChartRequest("3f2b8c1e-0d4a-4e5f-9a7b-6c5d4e3f2a1b", "cost-per-patient", "2027-W01", ChartKind.Sparkline),
            new ChartRequest("Ward 7 (Morar) £ ü", "bank hours", "2026-W53", ChartKind.Full, "2026-11-30T09:00:00Z"),
        })
        {
            var token = signer.CreateToken(request);
            Assert.Matches("^[A-Za-z0-9_-]+$", token);
            var check = signer.Verify(token);
            Assert.Equal(ChartTokenStatus.Valid, check.Status);
            Assert.Equal(request, check.Request);
        }
    }

    [Fact]
    public void Token_SurvivesARestart_WithTheSameKey()
    {
        var token = Signer().CreateToken(Ward7Falls);
        Assert.Equal(Ward7Falls, Signer().Verify(token).Request);
    }

    [Fact]
    public void Expiry_IsTheLifetimeRoundedUpToMidnightUtc_SoTheSameDayGivesTheSameUrl()
    {
        var signer = Signer();
        var first = signer.CreateToken(Ward7Falls);
        _time.Advance(TimeSpan.FromHours(10));
        Assert.Equal(first, signer.CreateToken(Ward7Falls));
        Assert.Equal(new DateTimeOffset(2027, 12, 1, 0, 0, 0, TimeSpan.Zero), signer.Verify(first).ExpiresAt);
        _time.Advance(TimeSpan.FromHours(5));
        Assert.NotEqual(first, signer.CreateToken(Ward7Falls));
    }

    [Fact]
    public void Expired_IsRejected()
    {
        var signer = Signer();
        var token = signer.CreateToken(Ward7Falls, _time.GetUtcNow().AddDays(1));
        _time.Advance(TimeSpan.FromDays(1) - TimeSpan.FromSeconds(1));
        Assert.Equal(ChartTokenStatus.Valid, signer.Verify(token).Status);
        _time.Advance(TimeSpan.FromSeconds(1));
        var check = signer.Verify(token);
        Assert.Equal(ChartTokenStatus.Expired, check.Status);
        Assert.Null(check.Request);
    }

    [Fact]
    public void AYearOn_TheDefaultLifetimeHasRunOut()
    {
        var signer = Signer();
        var token = signer.CreateToken(Ward7Falls);
        _time.Advance(TimeSpan.FromDays(365));
        Assert.Equal(ChartTokenStatus.Valid, signer.Verify(token).Status);
        _time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(ChartTokenStatus.Expired, signer.Verify(token).Status);
    }

    [Fact]
    public void EveryTamperedByte_IsRejected()
    {
        var signer = Signer();
        var bytes = Base64Url.DecodeFromChars(signer.CreateToken(Ward7Falls));
        for (var i = 0; i < bytes.Length; i++)
        {
            var tampered = (byte[])bytes.Clone();
            tampered[i] ^= 0x01;
            var check = signer.Verify(Base64Url.EncodeToString(tampered));
            Assert.Equal(ChartTokenStatus.BadSignature, check.Status);
            Assert.Null(check.Request);
        }
    }

    [Fact]
    public void ChangedPayload_WithTheOldSignature_IsRejected()
    {
        var signer = Signer();
        var bytes = Base64Url.DecodeFromChars(signer.CreateToken(Ward7Falls));
        var payload = Encoding.UTF8.GetString(bytes, 0, bytes.Length - 32);
        var signature = bytes[^32..];
        foreach (var forged in new[] { payload.Replace("ward-7", "ward-8"), payload.Replace("2026-W48", "2026-W47"), payload.Replace("\nf\n", "\ns\n"), payload[..^10] + "4102444800" })
        {
            var token = Base64Url.EncodeToString([.. Encoding.UTF8.GetBytes(forged), .. signature]);
            Assert.Equal(ChartTokenStatus.BadSignature, signer.Verify(token).Status);
        }
    }

    [Fact]
    public void AnotherKey_IsRejected_UnlessItIsARetiredKey()
    {
        var theirs = Signer(OtherKey).CreateToken(Ward7Falls);
        Assert.Equal(ChartTokenStatus.BadSignature, Signer().Verify(theirs).Status);

        var rotated = Signer(key: Key, retired: [OtherKey]);
        Assert.Equal(Ward7Falls, rotated.Verify(theirs).Request);
        // New tokens are signed with the current key only.
        Assert.Equal(ChartTokenStatus.BadSignature, Signer(OtherKey).Verify(rotated.CreateToken(Ward7Falls)).Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("not a token")]
    [InlineData("abc.def")]
    [InlineData("aGVsbG8=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Malformed_IsRejected(string? token)
    {
        var check = Signer().Verify(token);
        Assert.Equal(ChartTokenStatus.Malformed, check.Status);
        Assert.Null(check.Request);
    }

    [Fact]
    public void Overlong_IsRejectedBeforeAnyWork()
    {
        Assert.Equal(ChartTokenStatus.Malformed, Signer().Verify(new string('A', ChartUrlSigner.MaxTokenLength + 1)).Status);
    }

    [Fact]
    public void SignedButUnreadablePayload_IsMalformed()
    {
        // Only the key holder can make one; still it must not throw.
        foreach (var text in new[] { "vm-chart-1\nward-7\nfalls\n2026-W48\nx\n\n4102444800", "vm-chart-0\na\nb\n2026-W48\nf\n\n4102444800", "vm-chart-1\nward-7\nfalls\n2026-W48\nf\n\n99999999999999999999", "\xff" })
        {
            var payload = Encoding.UTF8.GetBytes(text);
            var token = Base64Url.EncodeToString([.. payload, .. HMACSHA256.HashData(Key, payload)]);
            Assert.Equal(ChartTokenStatus.Malformed, Signer().Verify(token).Status);
        }
    }

    [Fact]
    public void Verify_ComparesSignaturesInConstantTime()
    {
        var called = CalledMethods(typeof(ChartUrlSigner).GetMethod(nameof(ChartUrlSigner.Verify))!);
        Assert.Contains("System.Security.Cryptography.CryptographicOperations.FixedTimeEquals", called);
        Assert.DoesNotContain(called, m => m.Contains("SequenceEqual") || m.Contains("op_Equality") || m.EndsWith(".Equals"));
    }

    [Theory]
    [InlineData("", "falls", "2026-W48")]
    [InlineData("ward-7", "", "2026-W48")]
    [InlineData("ward\n7", "falls", "2026-W48")]
    [InlineData(" ward-7", "falls", "2026-W48")]
    [InlineData("ward-7", "falls", "2026-48")]
    [InlineData("ward-7", "falls", "2026-W54")]
    [InlineData("ward-7", "falls", "2026-W00")]
    public void CreateToken_InvalidRequest_Throws(string team, string measure, string week)
    {
        Assert.Throws<ArgumentException>(() => Signer().CreateToken(new ChartRequest(team, measure, week, ChartKind.Full)));
    }

    [Fact]
    public void Constructor_ShortKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ChartUrlSigner(new byte[31], TimeSpan.FromDays(1), TimeProvider.System));
        Assert.Throws<ArgumentException>(() => new ChartUrlSigner(Key, TimeSpan.FromDays(1), TimeProvider.System, [new byte[16]]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChartUrlSigner(Key, TimeSpan.Zero, TimeProvider.System));
    }

    [Fact]
    public void DecodeKey_AcceptsBase64AndBase64Url_OfAtLeast32Bytes()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        Assert.Equal(key, ChartUrlSigner.DecodeKey(Convert.ToBase64String(key)));
        Assert.Equal(key, ChartUrlSigner.DecodeKey(" " + Base64Url.EncodeToString(key) + " "));
        Assert.Null(ChartUrlSigner.DecodeKey(Convert.ToBase64String(new byte[31])));
        Assert.Null(ChartUrlSigner.DecodeKey("correct horse battery staple correct horse battery staple"));
        Assert.Null(ChartUrlSigner.DecodeKey(null));
        Assert.Null(ChartUrlSigner.DecodeKey(""));
    }

    /// <summary>The methods a method's IL calls (call and callvirt), by full name.</summary>
    private static List<string> CalledMethods(MethodInfo method)
    {
        var il = method.GetMethodBody()!.GetILAsByteArray()!;
        var names = new List<string>();
        for (var i = 0; i + 4 < il.Length; i++)
        {
            if (il[i] is not (0x28 or 0x6F)) continue;
            try
            {
                var callee = method.Module.ResolveMethod(BinaryPrimitives.ReadInt32LittleEndian(il.AsSpan(i + 1, 4)));
                if (callee is not null) names.Add($"{callee.DeclaringType?.FullName}.{callee.Name}");
            }
            catch (Exception e) when (e is ArgumentException or BadImageFormatException)
            {
                // Not a call: a byte of some other instruction's operand.
            }
        }
        return names;
    }
}
