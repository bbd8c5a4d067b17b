namespace ValueManagement.Features.Charts;

/// <summary>
/// Where chart figures come from; the integrator implements it over stored submissions and the
/// SPC engine, and registers it as a singleton.
/// </summary>
/// <remarks>
/// <para>
/// <b>Data version.</b> A chart URL is cached for its whole life (a year) by Teams and any proxy,
/// because it says <c>Cache-Control: public, immutable</c>. A late amendment can change a week's
/// figures, and since the limits and signals are computed over the whole series, it can change
/// the picture of every later week too. So a URL names not only the week but also
/// <see cref="ChartRequest.DataVersion"/>: an opaque string the card builder takes from the store
/// when it builds the card, such as the id of the latest revision of the team's figures. The
/// source must return the figures <i>as they were at that version</i> (every revision is kept, so
/// this is a filter on revision id or time). Then the picture behind a URL never changes: a card
/// that is updated after an amendment gets a new version, so a new URL, so Teams fetches the new
/// picture; an older message keeps showing what was true when it was posted, like its text.
/// </para>
/// <para>
/// A request without a data version means "the current figures": the endpoint then allows caching
/// for <see cref="ChartEndpoints.UnversionedMaxAge"/> only.
/// </para>
/// <para>
/// The source may ignore <see cref="ChartRequest.Kind"/>: the picture is drawn as the request
/// asks, whatever <see cref="ChartModel.Kind"/> says.
/// </para>
/// </remarks>
public interface IChartSource
{
    /// <summary>The chart ending with the request's week, or null when the team, measure, week or version is unknown.</summary>
    ValueTask<ChartModel?> GetChartAsync(ChartRequest request, CancellationToken cancellationToken);
}
