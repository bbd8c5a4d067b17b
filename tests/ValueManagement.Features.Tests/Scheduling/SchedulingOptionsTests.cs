using System.ComponentModel.DataAnnotations;
using ValueManagement.Core.Rhythm;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Scheduling;

namespace ValueManagement.Features.Tests.Scheduling;

public sealed class SchedulingOptionsTests
{
    private static List<ValidationResult> Validate(SchedulingOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Fact]
    public void Defaults_AreValid_AndShipScottishBankHolidays()
    {
        var options = new SchedulingOptions();
        Assert.Empty(Validate(options));
        Assert.True(options.HolidayCalendar().IsHoliday(new DateOnly(2026, 11, 30))); // St Andrew's Day
    }

    [Fact]
    public void UnknownTimeZone_BadCron_HolidayWithoutDateOrTwice_AreRefusedWithTheKey()
    {
        var options = new SchedulingOptions
        {
            TimeZone = "Mars/Olympus",
            TickCron = "every minute",
            Holidays = [new HolidayOption { Name = "no date" }, new HolidayOption { Date = new DateOnly(2031, 1, 1) }, new HolidayOption { Date = new DateOnly(2031, 1, 1) }],
        };
        var messages = Validate(options).Select(r => r.ErrorMessage).ToList();
        Assert.Contains(messages, m => m!.Contains("Scheduling:TimeZone 'Mars/Olympus'", StringComparison.Ordinal));
        Assert.Contains(messages, m => m!.Contains("Scheduling:TickCron", StringComparison.Ordinal));
        Assert.Contains(messages, m => m!.Contains("Scheduling:Holidays:0 has no Date", StringComparison.Ordinal));
        Assert.Contains(messages, m => m!.Contains("2031-01-01 twice", StringComparison.Ordinal));
    }

    [Fact]
    public void ConfiguredHoliday_OnAShippedDate_ReplacesIt_AndLaterYearsAdd()
    {
        var options = new SchedulingOptions
        {
            Holidays = [new HolidayOption { Date = new DateOnly(2026, 11, 30), Name = "St Andrew's Day (local name)" }, new HolidayOption { Date = new DateOnly(2031, 1, 1), Name = "New Year's Day" }],
        };
        var calendar = options.HolidayCalendar();
        Assert.Equal("St Andrew's Day (local name)", calendar.HolidayOn(new DateOnly(2026, 11, 30))!.Name);
        Assert.True(calendar.IsHoliday(new DateOnly(2031, 1, 1)));
        Assert.False(new SchedulingOptions { ScottishBankHolidays = false }.HolidayCalendar().IsHoliday(new DateOnly(2026, 11, 30)));
    }

    [Theory]
    [InlineData(ScheduleSlot.Reminder, DayOfWeek.Monday, 8, 0, "must come after the prompt")]
    [InlineData(ScheduleSlot.Deadline, DayOfWeek.Monday, 12, 0, "can't be before the reminder")]
    [InlineData(ScheduleSlot.ReportOut, DayOfWeek.Monday, 9, 15, "must be later in the week than the prompt")]
    public void ScheduleChange_OutOfOrder_IsRefused(ScheduleSlot slot, DayOfWeek day, int hour, int minute, string expected)
    {
        var (schedule, problem) = TeamScheduleStore.Change(TeamSchedule.Default, slot, new WeeklyTime(day, new TimeOnly(hour, minute)));
        Assert.Null(schedule);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ScheduleChange_InOrder_IsAccepted()
    {
        var (schedule, problem) = TeamScheduleStore.Change(TeamSchedule.Default, ScheduleSlot.Deadline, new WeeklyTime(DayOfWeek.Wednesday, new TimeOnly(17, 0)));
        Assert.Null(problem);
        Assert.Equal(new WeeklyTime(DayOfWeek.Wednesday, new TimeOnly(17, 0)), schedule!.Deadline);
    }
}
