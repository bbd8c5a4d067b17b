using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ValueManagement.Core.Measures;

/// <summary>
/// A derived measure's formula: measure keys and number literals combined with <c>+ - * /</c>,
/// unary minus and parentheses, with the usual precedence (<c>* /</c> before <c>+ -</c>, left to
/// right), for example <c>(payCost + nonPayCost) / patientsAdmitted</c>.
/// </summary>
public sealed class Formula
{
    private readonly Node _root;

    private Formula(string text, Node root, IReadOnlyList<string> dependencies)
    {
        Text = text;
        _root = root;
        Dependencies = dependencies;
    }

    public string Text { get; }

    /// <summary>The measure keys the formula reads, each once, in order of first appearance.</summary>
    public IReadOnlyList<string> Dependencies { get; }

    /// <summary>Reads a formula, checking only its syntax.</summary>
    /// <exception cref="FormulaException">The text is not a formula; the message says what and where.</exception>
    public static Formula Parse(string text) => Parse(text, knownKeys: null);

    /// <summary>Reads a formula whose measure keys must all be in <paramref name="knownKeys"/> (compared exactly).</summary>
    /// <exception cref="FormulaException">The text is not a formula or names an unknown measure.</exception>
    public static Formula Parse(string text, IEnumerable<string>? knownKeys) =>
        TryParse(text, knownKeys, out var formula, out var error) ? formula : throw new FormulaException(error);

    public static bool TryParse(
        string? text,
        IEnumerable<string>? knownKeys,
        [NotNullWhen(true)] out Formula? formula,
        [NotNullWhen(false)] out FormulaError? error)
    {
        formula = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = new FormulaError(1, "the formula is empty");
            return false;
        }

        var known = knownKeys is null ? null : new HashSet<string>(knownKeys, StringComparer.Ordinal);
        var parser = new Parser(text, known);
        if (!parser.TryParse(out var root, out error)) return false;

        formula = new Formula(text, root, parser.Dependencies);
        return true;
    }

    /// <summary>
    /// The formula's value, or null when an input is missing (absent or null), a division has a zero
    /// denominator, or the result is not a finite number.
    /// </summary>
    public double? Evaluate(IReadOnlyDictionary<string, double?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var result = _root.Evaluate(values);
        return result is { } value && double.IsFinite(value) ? value : null;
    }

    public override string ToString() => Text;

    private abstract record Node
    {
        public abstract double? Evaluate(IReadOnlyDictionary<string, double?> values);
    }

    private sealed record NumberNode(double Value) : Node
    {
        public override double? Evaluate(IReadOnlyDictionary<string, double?> values) => Value;
    }

    private sealed record MeasureNode(string Key) : Node
    {
        public override double? Evaluate(IReadOnlyDictionary<string, double?> values) => values.GetValueOrDefault(Key);
    }

    private sealed record NegateNode(Node Operand) : Node
    {
        public override double? Evaluate(IReadOnlyDictionary<string, double?> values) => -Operand.Evaluate(values);
    }

    private sealed record BinaryNode(char Operator, Node Left, Node Right) : Node
    {
        public override double? Evaluate(IReadOnlyDictionary<string, double?> values)
        {
            if (Left.Evaluate(values) is not { } left || Right.Evaluate(values) is not { } right) return null;
            return Operator switch
            {
                '+' => left + right,
                '-' => left - right,
                '*' => left * right,
                '/' => right == 0 ? null : left / right,
                _ => throw new InvalidOperationException($"Unknown operator '{Operator}'."),
            };
        }
    }

    private enum TokenKind { Number, Identifier, Operator, OpenParen, CloseParen, End }

    /// <param name="Position">1-based character position in the formula text.</param>
    private readonly record struct Token(TokenKind Kind, string Text, int Position);

    /// <summary>Recursive descent: expression = term (+|- term)*; term = unary (*|/ unary)*; unary = -unary | primary.</summary>
    private sealed class Parser(string text, HashSet<string>? knownKeys)
    {
        private readonly List<string> _dependencies = [];
        private List<Token> _tokens = [];
        private int _next;

        public IReadOnlyList<string> Dependencies => _dependencies;

        public bool TryParse([NotNullWhen(true)] out Node? root, [NotNullWhen(false)] out FormulaError? error)
        {
            root = null;
            try
            {
                _tokens = Tokenize();
                root = Expression();
                var leftover = Peek();
                if (leftover.Kind == TokenKind.CloseParen)
                    throw Error(leftover.Position, $"unexpected ')' at position {leftover.Position}: there is no '(' for it to close");
                if (leftover.Kind != TokenKind.End)
                    throw Error(leftover.Position, $"expected an operator (+ - * /) at position {leftover.Position} but found '{leftover.Text}'");
                error = null;
                return true;
            }
            catch (FormulaException e)
            {
                error = e.Error;
                return false;
            }
        }

        private List<Token> Tokenize()
        {
            var tokens = new List<Token>();
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                var start = i;
                if (char.IsWhiteSpace(c))
                {
                    i++;
                }
                else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
                {
                    while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                    if (i < text.Length && text[i] == '.')
                    {
                        i++;
                        if (i >= text.Length || !char.IsAsciiDigit(text[i]))
                            throw Error(start + 1, $"the number '{text[start..i]}' at position {start + 1} is incomplete: write digits after the decimal point");
                        while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                    }
                    tokens.Add(new Token(TokenKind.Number, text[start..i], start + 1));
                }
                else if (char.IsAsciiLetter(c) || c == '_')
                {
                    while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_')) i++;
                    tokens.Add(new Token(TokenKind.Identifier, text[start..i], start + 1));
                }
                else
                {
                    var kind = c switch
                    {
                        '+' or '-' or '*' or '/' => TokenKind.Operator,
                        '(' => TokenKind.OpenParen,
                        ')' => TokenKind.CloseParen,
                        _ => throw Error(start + 1, $"unexpected character '{c}' at position {start + 1}"),
                    };
                    tokens.Add(new Token(kind, c.ToString(), start + 1));
                    i++;
                }
            }
            tokens.Add(new Token(TokenKind.End, string.Empty, text.Length + 1));
            return tokens;
        }

        private Token Peek() => _tokens[_next];
        private Token Take() => _tokens[_next++];

        private bool TakeOperator(char first, char second, out char taken)
        {
            var token = Peek();
            taken = token.Kind == TokenKind.Operator ? token.Text[0] : '\0';
            if (taken != first && taken != second) return false;
            _next++;
            return true;
        }

        private Node Expression()
        {
            var node = Term();
            while (TakeOperator('+', '-', out var op)) node = new BinaryNode(op, node, Term());
            return node;
        }

        private Node Term()
        {
            var node = Unary();
            while (TakeOperator('*', '/', out var op)) node = new BinaryNode(op, node, Unary());
            return node;
        }

        private Node Unary() => TakeOperator('-', '-', out _) ? new NegateNode(Unary()) : Primary();

        private Node Primary()
        {
            var token = Take();
            switch (token.Kind)
            {
                case TokenKind.Number:
                    return new NumberNode(double.Parse(token.Text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture));
                case TokenKind.Identifier:
                    if (knownKeys is not null && !knownKeys.Contains(token.Text))
                        throw Error(token.Position, $"unknown measure '{token.Text}' at position {token.Position}");
                    if (!_dependencies.Contains(token.Text)) _dependencies.Add(token.Text);
                    return new MeasureNode(token.Text);
                case TokenKind.OpenParen:
                    var inner = Expression();
                    var after = Peek();
                    if (after.Kind == TokenKind.End)
                        throw Error(token.Position, $"the '(' at position {token.Position} is never closed: a ')' is missing");
                    if (after.Kind != TokenKind.CloseParen)
                        throw Error(after.Position, $"expected an operator (+ - * /) or ')' at position {after.Position} but found '{after.Text}'");
                    _next++;
                    return inner;
                case TokenKind.End:
                    throw Error(token.Position, $"the formula ends too soon: expected a measure, a number or '(' at position {token.Position}");
                default:
                    throw Error(token.Position, $"expected a measure, a number or '(' at position {token.Position} but found '{token.Text}'");
            }
        }

        private static FormulaException Error(int position, string message) => new(new FormulaError(position, message));
    }
}

/// <param name="Position">1-based character position in the formula text.</param>
public sealed record FormulaError(int Position, string Message)
{
    public override string ToString() => Message;
}

public sealed class FormulaException(FormulaError error) : FormatException(error.Message)
{
    public FormulaError Error { get; } = error;
}
