using System.Collections.Frozen;
using System.Text.Json;
using ValueManagement.Teams.Cards;

namespace ValueManagement.Teams.Routing;

/// <summary>Handles one card verb, whether it arrives as an Action.Execute invoke or an Action.Submit message.</summary>
public interface ICardActionHandler
{
    string Verb { get; }
    Task<CardActionResult> ExecuteAsync(CardActionRequest request, CancellationToken cancellationToken);
}

/// <param name="Data">The action's data merged with the card's input values.</param>
/// <param name="CardActivityId">The id of the message that holds the card (the activity's replyToId).</param>
public sealed record CardActionRequest(TurnContext Turn, string Verb, JsonElement Data, string? CardActivityId, bool IsInvoke);

/// <summary>What the card shows after the action.</summary>
public abstract record CardActionResult
{
    /// <summary>Replace the card with this one.</summary>
    public sealed record ReplaceCard(AdaptiveCard Card) : CardActionResult;

    /// <summary>Leave the card and tell the user something.</summary>
    public sealed record Message(string Text) : CardActionResult;

    public static CardActionResult Replace(AdaptiveCard card) => new ReplaceCard(card);
    public static CardActionResult Say(string text) => new Message(text);
}

/// <summary>The card-action table: verbs to handlers. A duplicate verb stops the host at start.</summary>
public sealed class CardActionTable
{
    private readonly FrozenDictionary<string, ICardActionHandler> _byVerb;

    public CardActionTable(IEnumerable<ICardActionHandler> handlers)
    {
        var byVerb = new Dictionary<string, ICardActionHandler>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            if (!byVerb.TryAdd(handler.Verb, handler))
                throw new InvalidOperationException($"Two card actions use the verb '{handler.Verb}': {byVerb[handler.Verb].GetType().Name} and {handler.GetType().Name}.");
        }
        _byVerb = byVerb.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IEnumerable<string> Verbs => _byVerb.Keys;

    public ICardActionHandler? Find(string? verb) => verb is not null && _byVerb.TryGetValue(verb, out var handler) ? handler : null;
}
