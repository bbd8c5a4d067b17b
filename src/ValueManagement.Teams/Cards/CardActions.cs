using System.Text.Json;

namespace ValueManagement.Teams.Cards;

/// <summary>Builders for the actions every card uses.</summary>
public static class CardActions
{
    /// <summary>The data key that carries the verb on the Action.Submit fallback path.</summary>
    public const string VerbKey = "verb";

    /// <summary>
    /// An <c>Action.Execute</c> with an <c>Action.Submit</c> fallback for clients without Universal
    /// Actions. The fallback carries the verb in its data so both paths reach the same handler.
    /// </summary>
    public static ExecuteAction Execute(string title, string verb, IReadOnlyDictionary<string, object?>? data = null, ActionStyle? style = null)
    {
        var executeData = JsonSerializer.SerializeToElement(data ?? new Dictionary<string, object?>());
        var submitData = new Dictionary<string, object?>(data ?? new Dictionary<string, object?>()) { [VerbKey] = verb };
        return new ExecuteAction(verb)
        {
            Title = title,
            Style = style,
            Data = executeData,
            Fallback = new SubmitAction { Title = title, Style = style, Data = JsonSerializer.SerializeToElement(submitData) },
        };
    }
}
