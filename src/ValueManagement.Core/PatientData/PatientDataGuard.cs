using System.Globalization;

namespace ValueManagement.Core.PatientData;

public enum PatientIdentifierKind
{
    /// <summary>Scottish Community Health Index number: DDMMYY date of birth, three digits, a check digit.</summary>
    Chi,
    /// <summary>NHS number (England and Wales): nine digits and a check digit.</summary>
    NhsNumber,
}

/// <param name="Index">Where the number starts in the text (0-based).</param>
/// <param name="Length">How many characters it spans, separators included.</param>
public sealed record PatientIdentifierMatch(PatientIdentifierKind Kind, int Index, int Length);

/// <summary>
/// Keeps patient identifiers out of free text (comments, PDSA notes): only aggregate figures
/// belong in this system.
/// </summary>
/// <remarks>
/// A candidate is exactly ten digits, written together (<c>9434765919</c>) or in groups of at least
/// two digits joined by spaces or dashes (<c>943 476 5919</c>, <c>943-476-5919</c>,
/// <c>010190 1232</c>), and not part of a longer run of digits. It is refused as a CHI number when its
/// first six digits are a valid DDMMYY date, whatever its check digit (a CHI number typed with one
/// digit wrong is still a patient's identifier), and as an NHS number when its last digit is the
/// modulus 11 check digit of the first nine (weights 10 down to 2; 11 − (sum mod 11), where 11 means 0
/// and 10 means no valid number).
/// </remarks>
public static class PatientDataGuard
{
    private const int IdentifierLength = 10;
    private const int MaxSeparatorLength = 3;

    /// <summary>Null when the text is fine; otherwise a refusal that says what was found and where, without repeating the number.</summary>
    public static string? Check(string? text)
    {
        var found = Find(text);
        if (found.Count == 0) return null;

        var first = found[0];
        var what = first.Kind == PatientIdentifierKind.Chi ? "a CHI number" : "an NHS number";
        var more = found.Count > 1 ? $" (and {found.Count - 1} more)" : string.Empty;
        return $"This text seems to contain {what}, a patient identifier, at characters {first.Index + 1} to {first.Index + first.Length}{more}. "
            + "Only totals and figures belong here, never details that identify a patient: please remove it and send again.";
    }

    public static IReadOnlyList<PatientIdentifierMatch> Find(string? text)
    {
        var matches = new List<PatientIdentifierMatch>();
        if (string.IsNullOrEmpty(text)) return matches;

        var groups = DigitGroups(text);
        for (var first = 0; first < groups.Count; first++)
        {
            var digits = string.Empty;
            for (var last = first; last < groups.Count; last++)
            {
                var joinsPrevious = last == first
                    || (IsSeparator(text, groups[last - 1].End, groups[last].Start) && groups[first].Digits.Length >= 2 && groups[last].Digits.Length >= 2);
                if (!joinsPrevious) break;
                digits += groups[last].Digits;
                if (digits.Length > IdentifierLength) break;
                if (digits.Length < IdentifierLength) continue;

                // A mistyped CHI number (wrong check digit) still identifies a patient to anyone who reads it.
                var startsWithDate = StartsWithValidDate(digits);
                if (startsWithDate || HasValidCheckDigit(digits))
                {
                    var kind = startsWithDate ? PatientIdentifierKind.Chi : PatientIdentifierKind.NhsNumber;
                    matches.Add(new PatientIdentifierMatch(kind, groups[first].Start, groups[last].End - groups[first].Start));
                    first = last; // the next candidate starts after this one
                }
                break;
            }
        }
        return matches;
    }

    /// <summary>The modulus 11 check shared by CHI and NHS numbers.</summary>
    public static bool HasValidCheckDigit(string tenDigits)
    {
        ArgumentNullException.ThrowIfNull(tenDigits);
        if (tenDigits.Length != IdentifierLength || !tenDigits.All(char.IsAsciiDigit)) return false;

        var sum = 0;
        for (var i = 0; i < 9; i++) sum += (tenDigits[i] - '0') * (10 - i);
        var check = 11 - sum % 11;
        if (check == 11) check = 0;
        return check != 10 && check == tenDigits[9] - '0';
    }

    /// <summary>Whether the first six digits are a date DDMMYY (29 February when YY is divisible by 4, as 1900 or 2000 may be meant).</summary>
    public static bool StartsWithValidDate(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        if (digits.Length < 6 || !digits[..6].All(char.IsAsciiDigit)) return false;

        var day = int.Parse(digits.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture);
        var month = int.Parse(digits.AsSpan(2, 2), NumberStyles.None, CultureInfo.InvariantCulture);
        var year = int.Parse(digits.AsSpan(4, 2), NumberStyles.None, CultureInfo.InvariantCulture);
        if (month is < 1 or > 12 || day < 1) return false;
        var daysInMonth = month == 2 ? (year % 4 == 0 ? 29 : 28) : DateTime.DaysInMonth(2001, month);
        return day <= daysInMonth;
    }

    /// <summary>
    /// A maximal run of decimal digits (any script), as ASCII digits. A run longer than ten digits
    /// never matches and never joins its neighbours: any window containing it is too long.
    /// </summary>
    private readonly record struct DigitGroup(int Start, int End, string Digits);

    private static List<DigitGroup> DigitGroups(string text)
    {
        var groups = new List<DigitGroup>();
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsDigit(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            var digits = new System.Text.StringBuilder();
            while (i < text.Length && char.IsDigit(text[i]))
            {
                digits.Append((char)('0' + CharUnicodeInfo.GetDecimalDigitValue(text[i])));
                i++;
            }
            groups.Add(new DigitGroup(start, i, digits.ToString()));
        }

        return groups;
    }

    private static bool IsSeparator(string text, int from, int to)
    {
        var length = to - from;
        if (length is < 1 or > MaxSeparatorLength) return false;
        for (var i = from; i < to; i++)
        {
            if (text[i] is not (' ' or '\u00A0' or '\u202F' or '-' or '\u2010' or '\u2011' or '\u2013')) return false;
        }
        return true;
    }
}
