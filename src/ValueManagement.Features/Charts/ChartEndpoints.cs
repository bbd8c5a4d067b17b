using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ValueManagement.Features.Charts;

/// <summary>
/// <c>GET /charts/{token}.png</c>: the chart a signed token names, as <c>image/png</c>. Anything
/// wrong with the token (malformed, tampered, signed with another key, expired) and anything
/// unknown (team, measure, week, version) gives the same bare 404, so the endpoint tells a prober
/// nothing. It never answers 500: a failing chart source or drawing gives 503 (logged).
/// </summary>
public static class ChartEndpoints
{
    public const string RoutePattern = "/charts/{token}.png";

    /// <summary>How long a picture of the current figures (a request without a data version) may be cached.</summary>
    public static readonly TimeSpan UnversionedMaxAge = TimeSpan.FromMinutes(10);

    /// <summary>How long a request waits for a free renderer before it is answered 503.</summary>
    public static readonly TimeSpan RenderQueueTimeout = TimeSpan.FromSeconds(15);

    public static string PathFor(string token) => $"/charts/{token}.png";

    /// <exception cref="InvalidOperationException"><see cref="ChartServiceCollectionExtensions.AddCharts"/> was not called.</exception>
    public static IEndpointConventionBuilder MapCharts(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var handler = endpoints.ServiceProvider.GetService<ChartImageHandler>()
            ?? throw new InvalidOperationException("MapCharts needs the chart services: call services.AddCharts(configuration) first.");
        return endpoints.MapGet(RoutePattern, (RequestDelegate)handler.HandleAsync)
            .WithDisplayName("Chart image")
            .ExcludeFromDescription();
    }
}

/// <summary>Verifies, fetches, draws and answers; one per host.</summary>
internal sealed class ChartImageHandler : IDisposable
{
    private readonly ChartFeature _feature;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILogger<ChartImageHandler> _logger;
    private readonly SemaphoreSlim _renderSlots;

    public ChartImageHandler(ChartFeature feature, IServiceProvider services, TimeProvider time, ILogger<ChartImageHandler> logger)
    {
        _feature = feature;
        _services = services;
        _time = time;
        _logger = logger;
        _renderSlots = new SemaphoreSlim(feature.MaxConcurrentRenders, feature.MaxConcurrentRenders);
    }

    public void Dispose() => _renderSlots.Dispose();

    public async Task HandleAsync(HttpContext context)
    {
        var token = context.Request.RouteValues["token"] as string;
        if (!_feature.IsEnabled || _feature.Signer is not { } signer)
        {
            NotFound(context);
            return;
        }

        var check = signer.Verify(token);
        if (check.Status != ChartTokenStatus.Valid || check.Request is not { } request)
        {
            _logger.LogDebug("Chart request refused: {Status}.", check.Status);
            NotFound(context);
            return;
        }

        ChartModel? model;
        try
        {
            model = await _services.GetRequiredService<IChartSource>().GetChartAsync(request, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            _logger.LogError(e, "The chart source failed for {Team} {Measure} {Week}.", request.TeamId, request.MeasureKey, request.Week);
            Unavailable(context, retryAfterSeconds: 60);
            return;
        }
        if (model is null)
        {
            _logger.LogDebug("No chart for {Team} {Measure} {Week} (version {Version}).", request.TeamId, request.MeasureKey, request.Week, request.DataVersion);
            NotFound(context);
            return;
        }

        var drawn = model with { Kind = request.Kind };
        var problems = drawn.Validate();
        if (problems.Count > 0)
        {
            _logger.LogError("The chart source returned a chart that cannot be drawn for {Team} {Measure} {Week}: {Problems}",
                request.TeamId, request.MeasureKey, request.Week, string.Join(" ", problems));
            NotFound(context);
            return;
        }

        RenderedChart chart;
        try
        {
            if (!await _renderSlots.WaitAsync(ChartEndpoints.RenderQueueTimeout, context.RequestAborted))
            {
                _logger.LogWarning("Chart request for {Team} {Measure} {Week} waited {Seconds} s for a renderer: answered 503.",
                    request.TeamId, request.MeasureKey, request.Week, ChartEndpoints.RenderQueueTimeout.TotalSeconds);
                Unavailable(context, retryAfterSeconds: 5);
                return;
            }
            try
            {
                chart = _feature.Renderer.Render(drawn);
            }
            finally
            {
                _renderSlots.Release();
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Drawing the chart failed for {Team} {Measure} {Week}.", request.TeamId, request.MeasureKey, request.Week);
            Unavailable(context, retryAfterSeconds: 60);
            return;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "image/png";
        response.ContentLength = chart.Png.Length;
        response.Headers.CacheControl = CacheControl(request, check.ExpiresAt!.Value);
        response.Headers.XContentTypeOptions = "nosniff";
        await response.Body.WriteAsync(chart.Png, context.RequestAborted);
    }

    /// <summary>
    /// A versioned URL always shows the same picture: public and immutable until it expires (at
    /// most a year, the longest max-age caches honour). An unversioned one may change after an amendment.
    /// </summary>
    private string CacheControl(ChartRequest request, DateTimeOffset expiresAt)
    {
        if (request.DataVersion is null)
            return $"public, max-age={(long)ChartEndpoints.UnversionedMaxAge.TotalSeconds}";
        var remaining = (long)Math.Clamp((expiresAt - _time.GetUtcNow()).TotalSeconds, 0, TimeSpan.FromDays(365).TotalSeconds);
        return $"public, max-age={remaining.ToString(CultureInfo.InvariantCulture)}, immutable";
    }

    private static void NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.Headers.CacheControl = "no-store";
    }

    private static void Unavailable(HttpContext context, int retryAfterSeconds)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
    }
}
