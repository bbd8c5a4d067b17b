using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ValueManagement.Features.Delivery;

namespace ValueManagement.Features.Tests.Delivery;

public sealed class DeliveryKeyAndOptionsTests
{
    [Fact]
    public void Key_RoundTrips_AndTheDestinationMayHoldTheSeparator()
    {
        var key = new DeliveryKey("prompt", "team-42", "2026-W48", "channel:19:abc@thread.tacv2|x");

        Assert.Equal("prompt|team-42|2026-W48|channel:19:abc@thread.tacv2|x", key.ToString());
        Assert.Equal(key, DeliveryKey.Parse(key.ToString()));
        Assert.Equal("prompt|2026-W48", key.FanOutId);
    }

    [Theory]
    [InlineData("prompt|x", "team", "2026-W48")]
    [InlineData("prompt", "", "2026-W48")]
    [InlineData("prompt", "team", "2026|W48")]
    public void Key_WithTheSeparatorOrEmptyParts_IsRefused(string kind, string team, string week) =>
        Assert.ThrowsAny<ArgumentException>(() => new DeliveryKey(kind, team, week, "channel:x"));

    [Fact]
    public void Key_Parse_RejectsTooFewParts() =>
        Assert.Throws<FormatException>(() => DeliveryKey.Parse("prompt|team|2026-W48"));

    [Theory]
    [InlineData(2026, 11, 23, "2026-W48")]
    [InlineData(2027, 1, 1, "2026-W53")]
    [InlineData(2024, 12, 30, "2025-W01")]
    public void WeekOf_IsTheIsoWeek(int year, int month, int day, string expected) =>
        Assert.Equal(expected, DeliveryKey.WeekOf(new DateOnly(year, month, day)));

    [Theory]
    [InlineData("TenantMessagesPerSecond", "51")]
    [InlineData("TenantMessagesPerSecond", "0")]
    [InlineData("MaxAttempts", "0")]
    [InlineData("MaxDelay", "00:00:00.500")]
    public void Options_OutOfRange_FailValidation(string setting, string value)
    {
        using var provider = Provider(new Dictionary<string, string?> { ["Bot:Delivery:" + setting] = value });

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DeliveryOptions>>().Value);
    }

    [Fact]
    public void Options_BindFromBotDelivery()
    {
        using var provider = Provider(new Dictionary<string, string?> { ["Bot:Delivery:TenantMessagesPerSecond"] = "12", ["Bot:Delivery:BaseDelay"] = "00:00:03" });

        var options = provider.GetRequiredService<IOptions<DeliveryOptions>>().Value;

        Assert.Equal(12, options.TenantMessagesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(3), options.BaseDelay);
        Assert.Equal(5, options.MaxAttempts);
    }

    [Fact]
    public void AddDelivery_Twice_RegistersOnce()
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().Build();

        services.AddDelivery(configuration).AddDelivery(configuration);

        Assert.Single(services, d => d.ServiceType == typeof(ProactiveSender));
        Assert.Single(services, d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService));
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddDelivery(configuration).BuildServiceProvider();
    }
}
