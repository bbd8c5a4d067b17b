using System.Net;
using Microsoft.Extensions.Options;

namespace ValueManagement.Features.Graph;

/// <summary>
/// Tries a Graph call again when Graph answers 429 (throttled), 503 or 504, waiting as long as
/// <c>Retry-After</c> says (capped by <see cref="GraphOptions.MaxRetryDelay"/>), else backing off.
/// </summary>
public sealed class GraphRetryHandler(IOptions<GraphOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // A body is read once per send: keep it so a retry can send it again.
        if (request.Content is not null) await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);

        for (var attempt = 1; ; attempt++)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (attempt >= settings.MaxAttempts || !IsTransient(response.StatusCode)) return response;

            var wait = RetryAfter(response) ?? TimeSpan.FromSeconds(Math.Pow(2, attempt - 1));
            if (wait > settings.MaxRetryDelay) wait = settings.MaxRetryDelay;
            response.Dispose();
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero,
        _ => null,
    };
}
