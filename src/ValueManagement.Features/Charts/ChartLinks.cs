using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ValueManagement.Features.Charts;

/// <summary>A chart image for a card: its URL, the alt text to put beside it, and its size in pixels.</summary>
public sealed record ChartLink(Uri Url, string AltText, int Width, int Height);

/// <summary>What card builders call to put a chart on a card.</summary>
public interface IChartLinks
{
    /// <summary>False when charts are off (see <see cref="ChartFeature.DisabledReason"/>): every link is null.</summary>
    bool IsEnabled { get; }

    /// <summary>
    /// The signed URL and alt text for a chart, reading the figures from the <see cref="IChartSource"/>
    /// (the same figures the image is drawn from, so the alt text matches it). Null when charts are
    /// off, when this kind cannot be drawn here (a full chart with no font), or when the source has
    /// no such chart: the card then goes without an image.
    /// </summary>
    ValueTask<ChartLink?> ForAsync(ChartRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// The same, for a card builder that already holds the figures. <paramref name="model"/> must be
    /// what the <see cref="IChartSource"/> returns for <paramref name="request"/>, or the alt text
    /// will not match the picture.
    /// </summary>
    ChartLink? For(ChartRequest request, ChartModel model);
}

public sealed class ChartLinks(ChartFeature feature, IServiceProvider services, ILogger<ChartLinks> logger) : IChartLinks
{
    public bool IsEnabled => feature.IsEnabled;

    public async ValueTask<ChartLink?> ForAsync(ChartRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!feature.CanServe(request.Kind)) return null;
        request.EnsureValid();
        var model = await services.GetRequiredService<IChartSource>().GetChartAsync(request, cancellationToken);
        return model is null ? null : For(request, model);
    }

    public ChartLink? For(ChartRequest request, ChartModel model)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(model);
        if (!feature.CanServe(request.Kind)) return null;
        request.EnsureValid();
        var drawn = model with { Kind = request.Kind };
        var problems = drawn.Validate();
        if (problems.Count > 0)
        {
            // A card is worth posting without its chart; the log says what to fix.
            logger.LogError("The chart for {Team} {Measure} {Week} cannot be drawn, so the card goes without it: {Problems}",
                request.TeamId, request.MeasureKey, request.Week, string.Join(" ", problems));
            return null;
        }
        var token = feature.Signer!.CreateToken(request);
        var url = new Uri(feature.PublicBaseUrl!, ChartEndpoints.PathFor(token).TrimStart('/'));
        var (width, height) = ChartRenderer.SizeOf(request.Kind);
        return new ChartLink(url, ChartAltText.Describe(drawn), width, height);
    }
}
