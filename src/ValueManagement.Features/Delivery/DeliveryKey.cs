using System.Globalization;

namespace ValueManagement.Features.Delivery;

/// <summary>
/// The identity of one proactive message: what it is (<see cref="Kind"/>), for which team, for which
/// week, and where it goes. Written as <c>kind|team|week|destination</c>, for example
/// <c>prompt|team-42|2026-W48|channel:19:abc@thread.tacv2</c>. A key that the ledger holds as
/// <see cref="DeliveryState.Sent"/> is never sent again.
/// </summary>
public readonly record struct DeliveryKey
{
    public const char Separator = '|';

    public DeliveryKey(string kind, string teamId, string week, string destination)
    {
        Kind = Part(kind, nameof(kind));
        TeamId = Part(teamId, nameof(teamId));
        Week = Part(week, nameof(week));
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        Destination = destination;
    }

    /// <summary>What the message is: <c>prompt</c>, <c>reminder</c>, <c>summary</c>...</summary>
    public string Kind { get; }

    /// <summary>The team (or other audience) the message is for, as the scheduler names it.</summary>
    public string TeamId { get; }

    /// <summary>The period it belongs to, usually an ISO week (<see cref="WeekOf"/>).</summary>
    public string Week { get; }

    /// <summary>Where it goes, e.g. <c>channel:{id}</c> or <c>user:{aadObjectId}</c>. May contain the separator.</summary>
    public string Destination { get; }

    /// <summary>The fan-out the message belongs to: <c>kind|week</c>.</summary>
    public string FanOutId => FanOutIdOf(Kind, Week);

    public override string ToString() => string.Join(Separator, Kind, TeamId, Week, Destination);

    public static string FanOutIdOf(string kind, string week) => kind + Separator + week;

    public static DeliveryKey Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var parts = value.Split(Separator, 4);
        if (parts.Length != 4)
            throw new FormatException($"'{value}' is not a delivery key (kind|team|week|destination).");
        return new DeliveryKey(parts[0], parts[1], parts[2], parts[3]);
    }

    /// <summary>The ISO 8601 week of a date, as <c>2026-W48</c>.</summary>
    public static string WeekOf(DateOnly date)
    {
        var dateTime = date.ToDateTime(TimeOnly.MinValue);
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(dateTime)}-W{ISOWeek.GetWeekOfYear(dateTime):D2}");
    }

    private static string Part(string value, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        if (value.Contains(Separator, StringComparison.Ordinal))
            throw new ArgumentException($"A delivery key's {name} may not contain '{Separator}': '{value}'.", name);
        return value;
    }
}
