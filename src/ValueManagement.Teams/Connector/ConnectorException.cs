using System.Net;

namespace ValueManagement.Teams.Connector;

/// <summary>How a failed Connector call should be treated, from its status and <c>error.code</c>.</summary>
public enum ConnectorFailureKind
{
    /// <summary>429: wait for Retry-After, then try again.</summary>
    Throttled,
    /// <summary>412, 5xx, a reset or a timeout: back off and try again.</summary>
    Transient,
    /// <summary>The conversation, or the bot's place in it, is gone: stop sending there until the bot is installed again.</summary>
    ConversationUnreachable,
    /// <summary>The message itself is at fault (bad payload, too big) or the bot lacks a permission: retrying will not help.</summary>
    Permanent,
}

public sealed class ConnectorException : Exception
{
    public ConnectorException(HttpStatusCode? status, string? errorCode, string message, ConnectorFailureKind kind, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = status;
        ErrorCode = errorCode;
        Kind = kind;
        RetryAfter = retryAfter;
    }

    public HttpStatusCode? StatusCode { get; }
    public string? ErrorCode { get; }
    public ConnectorFailureKind Kind { get; }
    public TimeSpan? RetryAfter { get; }

    /// <summary>The bot could not get its own token, so nothing reached Teams (see the inner exception's advice).</summary>
    public bool IsTokenUnavailable => InnerException is Authentication.ConnectorTokenUnavailableException;

    /// <summary>No answer at all (a timeout, a dropped connection): Teams may have taken the message.</summary>
    public bool MayHaveArrived => StatusCode is null && InnerException switch
    {
        HttpRequestException h => h.HttpRequestError is not (HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError),
        OperationCanceledException => true,
        _ => false,
    };

    public bool IsRetryable => Kind is ConnectorFailureKind.Throttled or ConnectorFailureKind.Transient;

    /// <summary>Classifies a Connector error as the Teams documentation's status-code table says.</summary>
    public static ConnectorFailureKind Classify(HttpStatusCode status, string? errorCode, string? subCode = null)
    {
        if (status == HttpStatusCode.TooManyRequests) return ConnectorFailureKind.Throttled;
        if (status is HttpStatusCode.PreconditionFailed or HttpStatusCode.RequestTimeout || (int)status >= 500)
            return ConnectorFailureKind.Transient;
        if (errorCode is "ConversationNotFound" or "BotNotInConversationRoster" or "ConversationBlockedByUser"
                or "BotDisabledByAdmin" or "ForbiddenOperationException" || subCode == "MessageWritesBlocked")
            return ConnectorFailureKind.ConversationUnreachable;
        return ConnectorFailureKind.Permanent;
    }
}
