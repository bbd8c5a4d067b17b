using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ValueManagement.Core.Improvement;

/// <summary>
/// A test of change is named <c>P{n}</c> (P1, P2, …). The letter is required so that an id can never be
/// read as a team alias such as "7" or "7A".
/// </summary>
public readonly record struct TestOfChangeId
{
    public const char Prefix = 'P';

    public TestOfChangeId(int number)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        Number = number;
    }

    public int Number { get; }

    public override string ToString() => Prefix + Number.ToString(CultureInfo.InvariantCulture);

    public static bool TryParse([NotNullWhen(true)] string? text, out TestOfChangeId id)
    {
        id = default;
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length < 2 || char.ToUpperInvariant(trimmed[0]) != Prefix) return false;

        var digits = trimmed.AsSpan(1);
        foreach (var c in digits)
        {
            if (c is < '0' or > '9') return false;
        }

        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1) return false;
        id = new TestOfChangeId(number);
        return true;
    }
}
