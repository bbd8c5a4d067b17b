using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using ValueManagement.Features.Charts;

namespace ValueManagement.Features.Tests.Charts;

public sealed class ChartOptionsTests
{
    private static readonly string GoodKey = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray());

    private static ValidateOptionsResult Validate(ChartOptions options, string environment = "Production") =>
        new ChartOptionsValidator(new HostingEnvironment { EnvironmentName = environment }).Validate(null, options);

    [Fact]
    public void NothingSet_IsValid_TheFeatureIsJustOff()
    {
        Assert.True(Validate(new ChartOptions()).Succeeded);
    }

    [Fact]
    public void GoodSettings_AreValid()
    {
        Assert.True(Validate(new ChartOptions { SigningKey = GoodKey, PublicBaseUrl = "https://vm-bot.example.nhs.uk/" }).Succeeded);
        Assert.True(Validate(new ChartOptions { SigningKey = GoodKey, PublicBaseUrl = "https://example.nhs.uk/value-management", RetiredSigningKeys = [GoodKey] }).Succeeded);
    }

    [Theory]
    [InlineData("c2hvcnQ=")]
    [InlineData("not base64 at all!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public void WeakOrUnreadableKey_Fails(string key)
    {
        var result = Validate(new ChartOptions { SigningKey = key, PublicBaseUrl = "https://vm-bot.example.nhs.uk" });
        Assert.True(result.Failed);
        Assert.Contains("Charts:SigningKey", result.FailureMessage);
        Assert.DoesNotContain(key, result.FailureMessage);
    }

    [Fact]
    public void WeakRetiredKey_Fails()
    {
        var result = Validate(new ChartOptions { SigningKey = GoodKey, RetiredSigningKeys = ["c2hvcnQ="] });
        Assert.Contains("Charts:RetiredSigningKeys:0", result.FailureMessage);
    }

    [Theory]
    [InlineData("vm-bot.example.nhs.uk", "Production", false)]
    [InlineData("/bot", "Production", false)]
    [InlineData("ftp://vm-bot.example.nhs.uk/", "Production", false)]
    [InlineData("http://vm-bot.example.nhs.uk/", "Production", false)]
    [InlineData("http://localhost:3978/", "Production", false)]
    [InlineData("https://vm-bot.example.nhs.uk/?a=b", "Production", false)]
    [InlineData("https://user@vm-bot.example.nhs.uk/", "Production", false)]
    [InlineData("https://vm-bot.example.nhs.uk", "Production", true)]
    [InlineData("http://localhost:3978", "Development", true)]
    [InlineData("http://127.0.0.1:3978/", "Development", true)]
    [InlineData("http://[::1]:3978/", "Development", true)]
    [InlineData("http://192.168.1.20:3978/", "Development", false)]
    [InlineData("http://vm-bot.example.nhs.uk/", "Development", false)]
    public void PublicBaseUrl_MustBeHttps_ExceptLoopbackInDevelopment(string url, string environment, bool valid)
    {
        var result = Validate(new ChartOptions { SigningKey = GoodKey, PublicBaseUrl = url }, environment);
        Assert.Equal(valid, result.Succeeded);
        if (!valid) Assert.Contains("Charts:PublicBaseUrl", result.FailureMessage);
    }

    [Fact]
    public void MissingFontFile_Fails()
    {
        var result = Validate(new ChartOptions { FontFile = "/nonexistent/DejaVuSans.ttf" });
        Assert.Contains("Charts:FontFile", result.FailureMessage);
    }

    [Theory]
    [InlineData("365.00:00:00", true)]
    [InlineData("1.00:00:00", true)]
    [InlineData("00:30:00", false)]
    [InlineData("3650.00:00:00", false)]
    public void UrlLifetime_IsBetweenADayAndFiveYears(string lifetime, bool valid)
    {
        using var provider = Provider(new() { ["Charts:UrlLifetime"] = lifetime });
        var options = provider.GetRequiredService<IOptions<ChartOptions>>();
        if (valid)
            Assert.Equal(TimeSpan.Parse(lifetime, System.Globalization.CultureInfo.InvariantCulture), options.Value.UrlLifetime);
        else
            Assert.Throws<OptionsValidationException>(() => options.Value);
    }

    [Fact]
    public void Defaults_AYearAndOneRendererPerProcessor()
    {
        using var provider = Provider([]);
        var options = provider.GetRequiredService<IOptions<ChartOptions>>().Value;
        Assert.Equal(TimeSpan.FromDays(365), options.UrlLifetime);
        Assert.Null(options.MaxConcurrentRenders);
        Assert.Equal(Environment.ProcessorCount, provider.GetRequiredService<ChartFeature>().MaxConcurrentRenders);
    }

    [Fact]
    public void BindsFromConfiguration_AndValidatesThroughAddCharts()
    {
        using var provider = Provider(new() { ["Charts:SigningKey"] = "c2hvcnQ=", ["Charts:PublicBaseUrl"] = "https://vm-bot.example.nhs.uk" });
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ChartOptions>>().Value);
        Assert.Contains("Charts:SigningKey", error.Message);
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = "Production" });
        services.AddCharts(configuration);
        return services.BuildServiceProvider();
    }
}
