using System.Text.RegularExpressions;

namespace ValueManagement.Core.Measures;

/// <summary>A problem found by <see cref="MeasureSet.Validate"/>, for the admin who edits the set.</summary>
/// <param name="MeasureKey">The measure concerned; null for the set as a whole.</param>
public sealed record MeasureSetProblem(string? MeasureKey, string Message)
{
    public override string ToString() => Message;
}

/// <summary>The measures a team reports on its box score, in the order the card shows them.</summary>
public sealed partial record MeasureSet(string Id, string Name, IReadOnlyList<MeasureDefinition> Measures)
{
    public const int MaxDecimals = 6;

    public MeasureDefinition? Find(string key) => Measures.FirstOrDefault(m => m.Key == key);

    public MeasureDefinition this[string key] =>
        Find(key) ?? throw new KeyNotFoundException($"Measure set '{Id}' has no measure '{key}'.");

    /// <summary>Every problem with the set, in the order of the measures; empty when the set can be used.</summary>
    public IReadOnlyList<MeasureSetProblem> Validate()
    {
        var problems = new List<MeasureSetProblem>();
        if (string.IsNullOrWhiteSpace(Id)) problems.Add(new(null, "The measure set needs an id."));
        if (string.IsNullOrWhiteSpace(Name)) problems.Add(new(null, "The measure set needs a name."));
        if (Measures is null || Measures.Count == 0)
        {
            problems.Add(new(null, "The measure set has no measures."));
            return problems;
        }

        foreach (var group in Measures.GroupBy(m => m.Key ?? string.Empty, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            var spellings = string.Join(" / ", group.Select(m => $"'{m.Key}'").Distinct());
            problems.Add(new(group.Key, $"The key {spellings} is used by {group.Count()} measures; keys must be unique, ignoring case."));
        }

        var keys = Measures.Select(m => m.Key).Where(k => k is not null).ToList();
        foreach (var measure in Measures)
            problems.AddRange(ProblemsWith(measure, keys));

        problems.AddRange(Cycles().Select(cycle => new MeasureSetProblem(
            cycle[0],
            $"Derived measures refer to each other in a circle, so none of them can be computed: {string.Join(" → ", cycle)}.")));
        return problems;
    }

    /// <summary>
    /// All the set's values for a week: entered and imported values as given (null when absent),
    /// derived values computed in dependency order (null when an input is missing or a denominator
    /// is 0). Values given for derived measures, and keys that are not in the set, are ignored.
    /// </summary>
    /// <exception cref="InvalidOperationException">A derived measure's formula cannot be used (see <see cref="Validate"/>).</exception>
    public IReadOnlyDictionary<string, double?> Compute(IReadOnlyDictionary<string, double?> entered)
    {
        ArgumentNullException.ThrowIfNull(entered);
        var columns = ComputeColumns([entered]);
        var values = new Dictionary<string, double?>(Measures.Count, StringComparer.Ordinal);
        for (var m = 0; m < Measures.Count; m++) values.Add(Measures[m].Key, columns[m][0]);
        return values;
    }

    /// <summary>
    /// <see cref="Compute"/> for many weeks at once, by column: element [m][w] is measure <c>Measures[m]</c> in
    /// <paramref name="weeks"/>[w]. A box score reads every measure of every week, and a column per measure is far
    /// cheaper to build and read than a dictionary per week.
    /// </summary>
    /// <exception cref="InvalidOperationException">A derived measure's formula cannot be used (see <see cref="Validate"/>).</exception>
    public double?[][] ComputeColumns(IReadOnlyList<IReadOnlyDictionary<string, double?>> weeks)
    {
        ArgumentNullException.ThrowIfNull(weeks);
        var plan = Plan();
        var count = weeks.Count;
        var columns = new double?[Measures.Count][];
        var position = new Dictionary<string, int>(Measures.Count, StringComparer.Ordinal);
        var given = new List<(int Position, string Key)>(Measures.Count);
        for (var m = 0; m < Measures.Count; m++)
        {
            var measure = Measures[m];
            position.Add(measure.Key, m);
            columns[m] = new double?[count];
            if (!measure.IsDerived) given.Add((m, measure.Key));
        }
        // Week by week: a week's values are looked up while they are in cache.
        for (var w = 0; w < count; w++)
        {
            var week = weeks[w];
            foreach (var (m, key) in given)
                columns[m][w] = week.TryGetValue(key, out var value) && value is { } v && double.IsFinite(v) ? v : null;
        }

        // Dependency order: a formula's inputs are filled in before it is evaluated. The formula reads its inputs
        // from a small dictionary holding only them, refilled for each week.
        foreach (var (measure, formula) in plan)
        {
            var column = columns[position[measure.Key]];
            var inputs = new (string Key, double?[] Column)[formula.Dependencies.Count];
            for (var d = 0; d < inputs.Length; d++) inputs[d] = (formula.Dependencies[d], columns[position[formula.Dependencies[d]]]);
            var row = new Dictionary<string, double?>(inputs.Length, StringComparer.Ordinal);
            for (var w = 0; w < count; w++)
            {
                foreach (var (key, input) in inputs) row[key] = input[w];
                column[w] = formula.Evaluate(row);
            }
        }
        return columns;
    }

    // Parsing the formulas and ordering them is the costly part of Compute, which box scores call
    // for every week of every measure's history: do it once per list of measures. The cache sits
    // outside the record so that it takes no part in equality or `with` copies.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IReadOnlyList<MeasureDefinition>, List<(MeasureDefinition Measure, Formula Formula)>> Plans = new();

    private List<(MeasureDefinition Measure, Formula Formula)> Plan()
    {
        if (Plans.TryGetValue(Measures, out var cached)) return cached;
        if (Measures.Select(m => m.Key).Distinct(StringComparer.Ordinal).Count() != Measures.Count)
            throw new InvalidOperationException($"Cannot compute measure set '{Id}': two measures share a key.");
        var plan = DerivedInDependencyOrder();
        Plans.AddOrUpdate(Measures, plan);
        return plan;
    }

    private List<(MeasureDefinition Measure, Formula Formula)> DerivedInDependencyOrder()
    {
        var keys = Measures.Select(m => m.Key).ToList();
        var formulas = new Dictionary<string, (MeasureDefinition Measure, Formula Formula)>(StringComparer.Ordinal);
        foreach (var measure in Measures.Where(m => m.IsDerived))
        {
            if (!Formula.TryParse(measure.Formula, keys, out var formula, out var error))
                throw new InvalidOperationException($"Cannot compute measure set '{Id}': the formula of '{measure.Key}' is not usable: {error.Message}.");
            formulas[measure.Key] = (measure, formula);
        }

        var ordered = new List<(MeasureDefinition, Formula)>();
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false = in progress, true = done
        void Visit(string key)
        {
            if (!formulas.TryGetValue(key, out var derived)) return;
            if (state.TryGetValue(key, out var done))
            {
                if (!done) throw new InvalidOperationException($"Cannot compute measure set '{Id}': derived measures refer to each other in a circle through '{key}'.");
                return;
            }
            state[key] = false;
            foreach (var dependency in derived.Formula.Dependencies) Visit(dependency);
            state[key] = true;
            ordered.Add(derived);
        }

        foreach (var key in formulas.Keys) Visit(key);
        return ordered;
    }

    private static IEnumerable<MeasureSetProblem> ProblemsWith(MeasureDefinition measure, IReadOnlyCollection<string> keys)
    {
        var key = measure.Key;
        var label = string.IsNullOrWhiteSpace(measure.Name) ? $"'{key}'" : $"'{measure.Name}' ({key})";
        MeasureSetProblem Problem(string message) => new(key, $"{label}: {message}");

        if (string.IsNullOrEmpty(key) || !KeyPattern().IsMatch(key))
            yield return Problem("the key must be lower camelCase: a lower-case letter, then letters or digits, at most 40 characters (for example fallsWithHarm).");
        if (string.IsNullOrWhiteSpace(measure.Name))
            yield return Problem("the measure needs a name.");
        if (!Enum.IsDefined(measure.Unit))
            yield return Problem($"the unit {(int)measure.Unit} is not known.");
        if (!Enum.IsDefined(measure.Category))
            yield return Problem($"the category {(int)measure.Category} is not known.");
        if (!Enum.IsDefined(measure.Direction))
            yield return Problem($"the direction {(int)measure.Direction} is not known.");
        if (!Enum.IsDefined(measure.Source))
            yield return Problem($"the source {(int)measure.Source} is not known.");

        if (measure.Decimals is < 0 or > MaxDecimals)
            yield return Problem($"decimals must be between 0 and {MaxDecimals}, not {measure.Decimals}.");
        if (measure.IsInteger && measure.Decimals != 0)
            yield return Problem("a whole-number measure must have 0 decimals.");

        foreach (var (name, number) in new[] { ("target", measure.Target), ("minimum", measure.Min), ("maximum", measure.Max), ("amber tolerance", measure.AmberTolerance), ("amber tolerance percentage", measure.AmberTolerancePercent) })
        {
            if (number is { } n && !double.IsFinite(n))
                yield return Problem($"the {name} must be a finite number.");
        }

        if (measure.Min is { } min && measure.Max is { } max && min > max)
            yield return Problem($"the minimum ({min:R}) is greater than the maximum ({max:R}).");
        if (measure.Target is { } target && ((measure.Min is { } low && target < low) || (measure.Max is { } high && target > high)))
            yield return Problem($"the target ({target:R}) is outside the allowed range.");

        if (measure.AmberTolerance is not null && measure.AmberTolerancePercent is not null)
            yield return Problem("give the amber tolerance either in the unit or as a percentage of the target, not both.");
        if (measure.AmberTolerance is < 0 || measure.AmberTolerancePercent is < 0)
            yield return Problem("the amber tolerance must not be negative.");
        if (measure.Target is null && (measure.AmberTolerance is not null || measure.AmberTolerancePercent is not null))
            yield return Problem("an amber tolerance needs a target.");
        if (measure.AmberTolerancePercent is not null && measure.Target == 0)
            yield return Problem("an amber tolerance as a percentage of a target of 0 is always 0: give it in the unit instead.");

        if (measure.SampleEveryWeeks is < 2 or > 52)
            yield return Problem($"a sampled measure is sampled every 2 to 52 weeks, not every {measure.SampleEveryWeeks}; leave it empty for a weekly measure.");

        if (measure.IsRequired && !measure.IsEntered)
            yield return Problem($"only measures the team enters can be required; this one is {measure.Source.ToString().ToLowerInvariant()}.");

        if (measure.IsDerived)
        {
            if (string.IsNullOrWhiteSpace(measure.Formula))
                yield return Problem("a derived measure needs a formula.");
            else if (!Formula.TryParse(measure.Formula, keys, out var formula, out var error))
                yield return Problem($"the formula '{measure.Formula}' has a problem: {error.Message}.");
            else if (formula.Dependencies.Contains(key))
                yield return Problem("the formula refers to the measure itself.");
        }
        else if (measure.Formula is not null)
        {
            yield return Problem("only derived measures have a formula.");
        }
    }

    /// <summary>Each circle of derived measures (longer than one: self-reference is reported per measure), once.</summary>
    private List<string[]> Cycles()
    {
        var keys = Measures.Select(m => m.Key).ToList();
        var edges = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var measure in Measures.Where(m => m.IsDerived && m.Key is not null))
        {
            if (Formula.TryParse(measure.Formula, keys, out var formula, out _))
                edges.TryAdd(measure.Key, formula.Dependencies.Where(d => d != measure.Key).ToList());
        }

        var cycles = new List<string[]>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();

        void Visit(string key)
        {
            if (done.Contains(key) || !edges.TryGetValue(key, out var dependencies)) return;
            var onPath = path.IndexOf(key);
            if (onPath >= 0)
            {
                var cycle = path.Skip(onPath).Append(key).ToArray();
                if (seen.Add(string.Join(',', cycle.Skip(1).Order(StringComparer.Ordinal)))) cycles.Add(cycle);
                return;
            }
            path.Add(key);
            foreach (var dependency in dependencies) Visit(dependency);
            path.RemoveAt(path.Count - 1);
            done.Add(key);
        }

        foreach (var key in edges.Keys) Visit(key);
        return cycles;
    }

    [GeneratedRegex("^[a-z][A-Za-z0-9]{0,39}$")]
    private static partial Regex KeyPattern();
}
