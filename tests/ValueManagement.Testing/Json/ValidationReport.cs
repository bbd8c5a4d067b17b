using Xunit.Sdk;

namespace ValueManagement.Testing.Json;

/// <summary>
/// One problem in a JSON document. <paramref name="Path"/> is a JSONPath into the document, such as
/// <c>$.body[2].altText</c>. <paramref name="Check"/> names the check that found it: <c>schema</c>
/// (the official JSON schema), <c>teams</c> (a Teams rule the schema cannot express) or <c>json</c>
/// (the text does not parse).
/// </summary>
public sealed record SchemaProblem(string Path, string Message, string Check)
{
    public override string ToString() => $"[{Check}] {Path}: {Message}";
}

/// <summary>What a validator found; <see cref="IsValid"/> when nothing.</summary>
public sealed class ValidationReport(IReadOnlyList<SchemaProblem> problems)
{
    public IReadOnlyList<SchemaProblem> Problems { get; } = problems;

    public bool IsValid => Problems.Count == 0;

    /// <summary>True when some problem at <paramref name="path"/> has a message containing <paramref name="messagePart"/>.</summary>
    public bool Has(string path, string messagePart) =>
        Problems.Any(p => p.Path == path && p.Message.Contains(messagePart, StringComparison.OrdinalIgnoreCase));

    /// <summary>Fails the test with one readable line per problem.</summary>
    public void AssertValid(string what)
    {
        if (!IsValid)
            throw new XunitException($"{what} is not valid ({Problems.Count} problem{(Problems.Count == 1 ? "" : "s")}):{Environment.NewLine}{this}");
    }

    public override string ToString() => IsValid ? "valid" : string.Join(Environment.NewLine, Problems.Select(p => "  " + p));
}
