using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols;

namespace ValueManagement.Teams.Authentication;

/// <summary>
/// Caches the Bot Connector's signing keys: re-read every 12 hours, and at once when a token names
/// an unknown key id (keys roll over), but never more often than every 5 minutes, so forged tokens
/// with made-up key ids cannot turn the bot into a metadata-fetching amplifier.
/// </summary>
public sealed partial class BotSigningKeyCache(
    string metadataAddress,
    IDocumentRetriever documents,
    TimeProvider time,
    ILogger<BotSigningKeyCache> logger)
{
    public static readonly TimeSpan AutomaticRefreshInterval = TimeSpan.FromHours(12);
    public static readonly TimeSpan MinimumForcedRefreshInterval = TimeSpan.FromMinutes(5);

    private readonly BotSigningConfigurationRetriever _retriever = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private BotSigningConfiguration? _current;
    private DateTimeOffset _fetchedAt;
    private DateTimeOffset _lastForcedRefresh = DateTimeOffset.MinValue;

    public async Task<BotSigningConfiguration> GetAsync(CancellationToken cancellationToken)
    {
        var current = _current;
        if (current is not null && time.GetUtcNow() - _fetchedAt < AutomaticRefreshInterval)
            return current;
        return await RefreshAsync(force: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A token named a key we do not have: re-read the keys unless that was done in the last 5 minutes.</summary>
    public async Task<BotSigningConfiguration> RefreshForUnknownKeyAsync(CancellationToken cancellationToken)
    {
        if (_current is not null && time.GetUtcNow() - _lastForcedRefresh < MinimumForcedRefreshInterval)
            return _current;
        return await RefreshAsync(force: true, cancellationToken).ConfigureAwait(false);
    }

    private async Task<BotSigningConfiguration> RefreshAsync(bool force, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            if (force)
            {
                if (_current is not null && now - _lastForcedRefresh < MinimumForcedRefreshInterval) return _current;
                _lastForcedRefresh = now;
            }
            else if (_current is not null && now - _fetchedAt < AutomaticRefreshInterval)
            {
                return _current;
            }

            try
            {
                _current = await _retriever.GetConfigurationAsync(metadataAddress, documents, cancellationToken).ConfigureAwait(false);
                _fetchedAt = now;
                LogFetched(logger, _current.SigningKeys.Count, force);
                return _current;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Keep serving the keys we have; without any, no token can be checked.
                LogFetchFailed(logger, e, metadataAddress);
                return _current ?? throw new SigningKeysUnavailableException(metadataAddress, e);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Read {Count} Bot Connector signing keys (forced: {Forced})")]
    private static partial void LogFetched(ILogger logger, int count, bool forced);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not read the Bot Connector signing keys from {Address}")]
    private static partial void LogFetchFailed(ILogger logger, Exception exception, string address);
}

/// <summary>The signing keys could not be read and none are cached: the request cannot be checked now.</summary>
public sealed class SigningKeysUnavailableException(string address, Exception inner)
    : Exception($"The Bot Connector signing keys at {address} could not be read.", inner);
