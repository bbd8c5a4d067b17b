using System.Globalization;
using System.Text.RegularExpressions;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Weeks;

namespace ValueManagement.Features.TeamSetup;

/// <summary>What reading a team setup file found: the document when it is valid, otherwise every problem.</summary>
public sealed record TeamSetupReadResult(TeamSetupDocument? Document, IReadOnlyList<TeamSetupProblem> Problems)
{
    public bool IsValid => Document is not null && Problems.Count == 0;
}

/// <summary>
/// Reads and checks a team setup file (docs/team-setup.md). Everything is checked before anything
/// is used, and every problem is reported with its line, column and JSON path, so an admin can fix
/// the file in one go.
/// </summary>
public static partial class TeamSetupReader
{
    public const int MaxLateEntryWeeks = 52;

    private static readonly string[] TopLevel = ["boards", "services", "measureSets", "teams", "roles"];
    private static readonly string[] BoardProperties = ["id", "name"];
    private static readonly string[] ServiceProperties = ["id", "name", "board"];
    private static readonly string[] SetProperties = ["id", "name", "measures"];
    private static readonly string[] MeasureProperties =
        ["key", "name", "unit", "category", "direction", "source", "formula", "target", "amberTolerance", "amberTolerancePercent", "decimals", "min", "max", "integer", "required", "sampleEveryWeeks"];
    private static readonly string[] TeamProperties =
        ["id", "name", "aliases", "service", "measureSet", "timeZone", "lateEntryWeeks", "promptDataLeadsInPersonalChat"];
    private static readonly string[] RoleProperties = ["person", "name", "role", "team", "service", "board"];

    /// <summary>The measure sets every file may use without defining them.</summary>
    public static IReadOnlyList<MeasureSet> ShippedMeasureSets { get; } = [DefaultMeasureSets.AcuteWard];

    public static TeamSetupReadResult Read(ReadOnlySpan<byte> utf8, string fileName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        var lines = new LineMap(utf8);
        var context = new Context(fileName);
        if (!PositionedJson.TryParse(utf8, lines, out var root, out var syntax))
        {
            context.Add(syntax.Position, string.Empty, syntax.Message);
            return context.Result(null);
        }
        if (root is not JsonObjectAt top)
        {
            context.Add(root, $"the file must hold one JSON object, {{ \"boards\": [...], \"services\": [...], \"teams\": [...], \"roles\": [...] }}, not {root.Kind}");
            return context.Result(null);
        }

        var file = new Fields(top, context, "the file", TopLevel, allowSchema: true);
        // References are checked against every id the file declares, also of records with other
        // problems, so one mistake is reported once rather than again by everything that refers to it.
        var boardLists = file.List("boards", required: true);
        var serviceList = file.List("services", required: true);
        var setList = file.List("measureSets", required: false);
        var teamList = file.List("teams", required: true);
        var declared = new DeclaredIds(
            DeclaredIdsOf(boardLists),
            DeclaredIdsOf(serviceList),
            DeclaredIdsOf(setList).Concat(ShippedMeasureSets.Select(s => s.Id)).Distinct(StringComparer.Ordinal).ToList(),
            DeclaredIdsOf(teamList));
        var boards = ReadBoards(boardLists, context);
        var services = ReadServices(serviceList, context, declared);
        var sets = ReadMeasureSets(setList, context);
        var teams = ReadTeams(teamList, context, declared);
        var roles = ReadRoles(file.List("roles", required: true), context, declared);

        if (context.Problems.Count > 0) return context.Result(null);
        return context.Result(new TeamSetupDocument(
            boards.Select(b => b.Value).ToList(),
            services.Select(s => s.Value).ToList(),
            sets.Select(s => s.Value).ToList(),
            teams.Select(t => t.Value).ToList(),
            roles));
    }

    private sealed record Located<T>(T Value, JsonNodeAt Node);

    private sealed record DeclaredIds(IReadOnlyList<string> Boards, IReadOnlyList<string> Services, IReadOnlyList<string> MeasureSets, IReadOnlyList<string> Teams);

    /// <summary>The ids the entries of a list give, as written (valid or not), each once.</summary>
    private static List<string> DeclaredIdsOf(JsonArrayAt? list) =>
        list?.Items.OfType<JsonObjectAt>()
            .Select(item => item.Property("id")?.Value)
            .OfType<JsonStringAt>()
            .Select(id => id.Value.Trim())
            .Where(id => id.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList() ?? [];

    private static List<Located<Board>> ReadBoards(JsonArrayAt? list, Context context)
    {
        var boards = new List<Located<Board>>();
        foreach (var (item, number) in Objects(list, context, "board"))
        {
            var fields = new Fields(item, context, LabelOf(item, "board", number), BoardProperties);
            var id = fields.Id("id", "nhs-highland");
            var name = fields.Text("name", required: true);
            if (Repeated(id, item, "board", context) || id is null || name is null) continue;
            boards.Add(new(new Board(id, name), item));
        }
        return boards;
    }

    private static List<Located<Service>> ReadServices(JsonArrayAt? list, Context context, DeclaredIds declared)
    {
        var services = new List<Located<Service>>();
        foreach (var (item, number) in Objects(list, context, "service"))
        {
            var fields = new Fields(item, context, LabelOf(item, "service", number), ServiceProperties);
            var id = fields.Id("id", "medicine");
            var name = fields.Text("name", required: true);
            var board = fields.Reference("board", required: true, "board", declared.Boards);
            if (Repeated(id, item, "service", context) || id is null || name is null || board is null) continue;
            services.Add(new(new Service(id, name, board), item));
        }
        return services;
    }

    private static List<Located<MeasureSet>> ReadMeasureSets(JsonArrayAt? list, Context context)
    {
        var sets = new List<Located<MeasureSet>>();
        foreach (var (item, number) in Objects(list, context, "measure set"))
        {
            var fields = new Fields(item, context, LabelOf(item, "measure set", number), SetProperties);
            var id = fields.Id("id", "acute-ward");
            var repeated = Repeated(id, item, "measure set", context);
            var name = fields.Text("name", required: true);
            var measures = fields.List("measures", required: true);
            var definitions = new List<(MeasureDefinition Definition, JsonObjectAt Node)>();
            var broken = false;
            foreach (var (measureNode, measureNumber) in Objects(measures, context, "measure"))
            {
                var definition = ReadMeasure(measureNode, context, fields.Label, measureNumber, ref broken);
                if (definition is not null) definitions.Add((definition, measureNode));
            }
            if (repeated || id is null || name is null || measures is null) continue;

            var set = new MeasureSet(id, name, definitions.Select(d => d.Definition).ToList());
            if (!broken)
            {
                foreach (var problem in set.Validate())
                {
                    JsonNodeAt where = measures;
                    foreach (var (definition, measureNode) in definitions)
                    {
                        if (definition.Key != problem.MeasureKey) continue;
                        where = measureNode;
                        break;
                    }
                    context.Add(where, $"{fields.Label}: {problem.Message}");
                }
            }
            sets.Add(new(set, item));
        }
        return sets;
    }

    /// <summary>A measure, or null when it cannot be built; <paramref name="broken"/> is set when a field is unusable, so the set is not validated on guesses.</summary>
    private static MeasureDefinition? ReadMeasure(JsonObjectAt node, Context context, string setLabel, int number, ref bool broken)
    {
        var before = context.Problems.Count;
        var fields = new Fields(node, context, $"{setLabel}, {LabelOf(node, "measure", number, "key")}", MeasureProperties);
        var key = fields.Text("key", required: true);
        var name = fields.Text("name", required: true);
        var unit = fields.Enum<MeasureUnit>("unit", required: true);
        var category = fields.Enum<MeasureCategory>("category", required: true);
        var direction = fields.Enum<MeasureDirection>("direction", required: true);
        var source = fields.Enum<MeasureSource>("source", required: false) ?? MeasureSource.Entered;
        var formula = fields.Text("formula", required: false);
        var target = fields.Number("target");
        var tolerance = fields.Number("amberTolerance");
        var tolerancePercent = fields.Number("amberTolerancePercent");
        var decimals = fields.Integer("decimals", 0, MeasureSet.MaxDecimals) ?? 0;
        var min = fields.Number("min");
        var max = fields.Number("max");
        var integer = fields.Boolean("integer") ?? false;
        var required = fields.Boolean("required") ?? false;
        var sampleEvery = fields.Integer("sampleEveryWeeks", 2, 52);
        if (context.Problems.Count > before) broken = true;
        if (key is null || name is null || unit is null || category is null || direction is null) return null;

        return new MeasureDefinition
        {
            Key = key,
            Name = name,
            Unit = unit.Value,
            Category = category.Value,
            Direction = direction.Value,
            Source = source,
            Formula = formula,
            Target = target,
            AmberTolerance = tolerance,
            AmberTolerancePercent = tolerancePercent,
            Decimals = decimals,
            Min = min,
            Max = max,
            IsInteger = integer,
            IsRequired = required,
            SampleEveryWeeks = sampleEvery,
        };
    }

    private static List<Located<TeamProfile>> ReadTeams(JsonArrayAt? list, Context context, DeclaredIds declared)
    {
        var teams = new List<Located<TeamProfile>>();
        // Every name and alias, as people type it, to the team it belongs to: one must identify one team.
        var claimed = new Dictionary<string, (string TeamId, string Text, SourcePosition At)>(StringComparer.Ordinal);
        var pendingNames = new List<(string TeamId, string What, string Text, JsonNodeAt Node, string Label)>();

        foreach (var (item, number) in Objects(list, context, "team"))
        {
            var fields = new Fields(item, context, LabelOf(item, "team", number), TeamProperties);
            var id = fields.Id("id", "ward-7");
            var repeated = Repeated(id, item, "team", context);
            var name = fields.Text("name", required: true);
            var aliases = fields.TextList("aliases") ?? [];
            var service = fields.Reference("service", required: true, "service", declared.Services);
            var measureSet = fields.Reference("measureSet", required: true, "measure set", declared.MeasureSets);
            var timeZone = fields.Text("timeZone", required: false) ?? TeamClock.DefaultTimeZoneId;
            if (fields.Node("timeZone") is { } zoneNode && zoneNode is JsonStringAt)
            {
                try
                {
                    TeamClock.FromTimeZoneId(timeZone);
                }
                catch (ArgumentException)
                {
                    context.Add(zoneNode, $"{fields.Label}: time zone \"{timeZone}\" is not known: use an IANA time zone id such as Europe/London");
                }
            }
            var lateEntryWeeks = fields.Integer("lateEntryWeeks", 0, MaxLateEntryWeeks) ?? 4;
            var promptDataLeads = fields.Boolean("promptDataLeadsInPersonalChat") ?? false;

            if (id is not null)
            {
                if (fields.Node("name") is { } nameNode && name is not null) pendingNames.Add((id, "name", name, nameNode, fields.Label));
                foreach (var (alias, aliasNode) in aliases) pendingNames.Add((id, "alias", alias, aliasNode, fields.Label));
            }

            if (repeated || id is null || name is null || service is null || measureSet is null) continue;
            teams.Add(new(new TeamProfile
            {
                Id = id,
                Name = name,
                Aliases = aliases.Select(a => a.Value).ToList(),
                ServiceId = service,
                MeasureSetId = measureSet,
                TimeZoneId = timeZone,
                LateEntryWeeks = lateEntryWeeks,
                PromptDataLeadsInPersonalChat = promptDataLeads,
            }, item));
        }

        var teamIds = declared.Teams.ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (teamId, what, text, node, label) in pendingNames)
        {
            var normalised = TeamNameResolver.Normalise(text);
            if (normalised.Length == 0)
            {
                context.Add(node, $"{label}: {what} \"{text}\" has no letters or digits, so nobody could type it");
                continue;
            }
            if (what == "alias" && teamIds.Contains(text.Trim()) && !string.Equals(text.Trim(), teamId, StringComparison.OrdinalIgnoreCase))
            {
                context.Add(node, $"{label}: alias \"{text}\" is the id of team \"{text.Trim().ToLowerInvariant()}\": an alias must identify one team");
                continue;
            }
            if (claimed.TryGetValue(normalised, out var owner))
            {
                if (owner.TeamId != teamId)
                {
                    context.Add(node, $"{label}: {what} \"{text}\" is also the name or an alias of team \"{owner.TeamId}\" (\"{owner.Text}\", line {owner.At.Line}): a name or alias must identify one team");
                }
                continue;
            }
            claimed[normalised] = (teamId, text, node.Position);
        }
        return teams;
    }

    private static List<RoleAssignment> ReadRoles(JsonArrayAt? list, Context context, DeclaredIds declared)
    {
        IReadOnlyList<string> Candidates(RoleScopeKind kind) => kind switch
        {
            RoleScopeKind.Team => declared.Teams,
            RoleScopeKind.Service => declared.Services,
            _ => declared.Boards,
        };

        var roles = new List<Located<RoleAssignment>>();
        foreach (var (item, number) in Objects(list, context, "role"))
        {
            var label = item.Property("name")?.Value is JsonStringAt { Value: var written } && !string.IsNullOrWhiteSpace(written)
                ? $"role {number} ({written.Trim()})"
                : $"role {number}";
            var fields = new Fields(item, context, label, RoleProperties);
            var name = fields.Text("name", required: true);
            var person = fields.Person("person");
            var role = fields.Enum<Role>("role", required: true);

            var scopes = new[] { ("team", RoleScopeKind.Team), ("service", RoleScopeKind.Service), ("board", RoleScopeKind.Board) }
                .Where(s => fields.Node(s.Item1) is not null)
                .ToList();
            RoleScopeKind? kind = null;
            string? scopeId = null;
            if (role is null && scopes.Count == 1)
            {
                // The role itself is wrong, but what it points at can still be checked.
                fields.Reference(scopes[0].Item1, required: true, scopes[0].Item1, Candidates(scopes[0].Item2));
            }
            else if (role is { } r)
            {
                var allowed = AllowedScopes(r);
                var article = r is Role.Admin ? "an" : "a";
                var words = RoleWords(r);
                if (allowed.Count == 0)
                {
                    if (scopes.Count > 0)
                        context.Add(fields.Node(scopes[0].Item1)!, $"{fields.Label}: an admin configures everything and has no scope: remove \"{scopes[0].Item1}\"");
                    else
                        kind = RoleScopeKind.Everywhere;
                }
                else if (scopes.Count == 0)
                {
                    context.Add(item, $"{fields.Label}: {article} {words} needs {Either(allowed)}");
                }
                else if (scopes.Count > 1)
                {
                    context.Add(fields.Node(scopes[1].Item1)!, $"{fields.Label}: give one scope, {Either(allowed)}, not both \"{scopes[0].Item1}\" and \"{scopes[1].Item1}\"");
                }
                else if (!allowed.Contains(scopes[0].Item1))
                {
                    context.Add(fields.Node(scopes[0].Item1)!, $"{fields.Label}: {article} {words} is given {Either(allowed)}, not \"{scopes[0].Item1}\"");
                }
                else
                {
                    var (property, scopeKind) = scopes[0];
                    scopeId = fields.Reference(property, required: true, property, Candidates(scopeKind));
                    if (scopeId is not null) kind = scopeKind;
                }
            }

            if (person is null || name is null || role is null || kind is null) continue;
            var assignment = new RoleAssignment(person, name, role.Value, kind.Value, scopeId);
            if (Duplicate(roles, x => x.Value.Key == assignment.Key) is { } first)
                context.Add(item, $"{fields.Label}: the same role is listed twice (first on line {first.Node.Position.Line})");
            else
                roles.Add(new(assignment, item));
        }
        return roles.Select(r => r.Value).ToList();
    }

    /// <summary>
    /// Which scope each role takes (domain.md, "Roles"): members and data leads belong to a team;
    /// a coach is named per team they coach; a manager reads a service's or a board's roll-up; an
    /// admin has none.
    /// </summary>
    public static IReadOnlyList<string> AllowedScopes(Role role) => role switch
    {
        Role.Member or Role.DataLead or Role.Coach => ["team"],
        Role.Manager => ["service", "board"],
        _ => [],
    };

    private static string RoleWords(Role role) => role switch
    {
        Role.DataLead => "data lead",
        _ => TeamSetupNames.Of(role),
    };

    private static string Either(IReadOnlyList<string> scopes) =>
        scopes.Count == 1 ? $"\"{scopes[0]}\"" : string.Join(" or ", scopes.Select(s => $"\"{s}\""));

    private static Located<T>? Duplicate<T>(List<Located<T>> seen, Func<Located<T>, bool> same) => seen.FirstOrDefault(same);

    /// <summary>
    /// Whether an earlier entry of the list has the same id (reported here). Entries with other
    /// problems count too: the list of ids seen is kept apart from the records built.
    /// </summary>
    private static bool Repeated(string? id, JsonObjectAt item, string kind, Context context)
    {
        if (id is null) return false;
        if (!context.SeenIds.TryGetValue((kind, id), out var first))
        {
            context.SeenIds[(kind, id)] = item.Position;
            return false;
        }
        context.Add(item, $"{kind} \"{id}\" is listed twice (first on line {first.Line})");
        return true;
    }

    /// <summary>How messages name an entry: by its id (or key) when it has one, else by its number in the list.</summary>
    private static string LabelOf(JsonObjectAt item, string kind, int number, string idProperty = "id") =>
        item.Property(idProperty)?.Value is JsonStringAt { Value: var id } && !string.IsNullOrWhiteSpace(id)
            ? $"{kind} \"{id.Trim()}\""
            : $"{kind} {number}";

    /// <summary>The entries of a list that are objects, numbered from 1; anything else is reported.</summary>
    private static IEnumerable<(JsonObjectAt Item, int Number)> Objects(JsonArrayAt? list, Context context, string what)
    {
        if (list is null) yield break;
        for (var i = 0; i < list.Items.Count; i++)
        {
            if (list.Items[i] is JsonObjectAt item)
                yield return (item, i + 1);
            else
                context.Add(list.Items[i], $"each {what} must be an object, {{ ... }}, not {list.Items[i].Kind}");
        }
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    private sealed class Context(string file)
    {
        public List<TeamSetupProblem> Problems { get; } = [];

        /// <summary>The first entry of each kind with each id.</summary>
        public Dictionary<(string Kind, string Id), SourcePosition> SeenIds { get; } = [];

        public void Add(JsonNodeAt node, string message) => Add(node.Position, node.Path, message);

        public void Add(SourcePosition position, string path, string message) =>
            Problems.Add(new TeamSetupProblem(file, position.Line, position.Column, path, message));

        public TeamSetupReadResult Result(TeamSetupDocument? document) =>
            new(document, Problems.OrderBy(p => p.Line).ThenBy(p => p.Column).ToList());
    }

    /// <summary>Reads the properties of one object, reporting unknown and repeated ones, wrong types and missing values.</summary>
    private sealed class Fields
    {
        private readonly JsonObjectAt _node;
        private readonly Context _context;

        public Fields(JsonObjectAt node, Context context, string label, IReadOnlyList<string> known, bool allowSchema = false)
        {
            _node = node;
            _context = context;
            Label = label;
            var seen = new Dictionary<string, JsonPropertyAt>(StringComparer.Ordinal);
            foreach (var property in node.Properties)
            {
                if (seen.TryGetValue(property.Name, out var first))
                {
                    context.Add(property.NamePosition, property.Value.Path, $"{label}: \"{property.Name}\" is given twice (first on line {first.NamePosition.Line})");
                    continue;
                }
                seen[property.Name] = property;
                if (known.Contains(property.Name) || (allowSchema && property.Name == "$schema")) continue;
                var suggestion = Closest(property.Name, known);
                context.Add(property.NamePosition, property.Value.Path,
                    $"{label}: unknown property \"{property.Name}\"" + (suggestion is null ? string.Empty : $": did you mean \"{suggestion}\"?")
                    + $" (known: {string.Join(", ", known)})");
            }
        }

        /// <summary>How messages name the object, such as <c>team "ward-7"</c>.</summary>
        public string Label { get; }

        public JsonNodeAt? Node(string name) => _node.Property(name)?.Value;

        private void Problem(JsonNodeAt node, string message) => _context.Add(node, $"{Label}: {message}");

        private JsonNodeAt? Present(string name, bool required)
        {
            var node = Node(name);
            if (node is null or JsonNullAt)
            {
                if (required) _context.Add(node ?? _node, $"{Label}: \"{name}\" is missing");
                return null;
            }
            return node;
        }

        public string? Text(string name, bool required)
        {
            if (Present(name, required) is not { } node) return null;
            if (node is not JsonStringAt text)
            {
                Problem(node, $"\"{name}\" must be text in quotes, not {node.Kind}");
                return null;
            }
            if (string.IsNullOrWhiteSpace(text.Value))
            {
                Problem(node, $"\"{name}\" is empty");
                return null;
            }
            return text.Value.Trim();
        }

        public string? Id(string name, string example)
        {
            var node = Node(name);
            var id = Text(name, required: true);
            if (id is null || node is null) return null;
            if (id.Length > 40 || !SlugPattern().IsMatch(id))
            {
                Problem(node, $"the {name} \"{id}\" must be lower-case letters, digits and single hyphens, at most 40 characters, such as {example}");
                return null;
            }
            return id;
        }

        public string? Reference(string name, bool required, string what, IReadOnlyList<string> candidates)
        {
            var node = Node(name);
            var id = Text(name, required);
            if (id is null || node is null) return null;
            if (candidates.Contains(id, StringComparer.Ordinal)) return id;
            var suggestion = Closest(id, candidates);
            var known = candidates.Count == 0 ? $"there are no {Plural(what)} in the file" : $"{Plural(what)}: {Listing(candidates)}";
            Problem(node, $"{what} \"{id}\" does not exist ({known})" + (suggestion is null ? string.Empty : $"; did you mean \"{suggestion}\"?"));
            return null;
        }

        public string? Person(string name)
        {
            var node = Node(name);
            var text = Text(name, required: true);
            if (text is null || node is null) return null;
            if (Guid.TryParseExact(text, "D", out var id)) return id.ToString("D");
            Problem(node, $"\"{name}\" must be the person's Microsoft Entra object id, a GUID such as 2f1c6a7e-0b4d-4c55-9a1e-3d5b7c9e1f20 (Entra admin centre → Users → Object ID), not \"{text}\"");
            return null;
        }

        public double? Number(string name)
        {
            if (Present(name, required: false) is not { } node) return null;
            if (node is JsonNumberAt number && double.IsFinite(number.Value)) return number.Value;
            Problem(node, node is JsonNumberAt big ? $"\"{name}\" is too large a number ({big.Text})" : $"\"{name}\" must be a number, not {node.Kind}");
            return null;
        }

        public int? Integer(string name, int min, int max)
        {
            if (Present(name, required: false) is not { } node) return null;
            if (node is JsonNumberAt number && number.Value == Math.Floor(number.Value) && number.Value >= min && number.Value <= max)
                return (int)number.Value;
            Problem(node, $"\"{name}\" must be a whole number from {min} to {max}, not {(node is JsonNumberAt n ? n.Text : node.Kind)}");
            return null;
        }

        public bool? Boolean(string name)
        {
            if (Present(name, required: false) is not { } node) return null;
            if (node is JsonBooleanAt flag) return flag.Value;
            Problem(node, $"\"{name}\" must be true or false (without quotes), not {(node is JsonStringAt s ? $"\"{s.Value}\"" : node.Kind)}");
            return null;
        }

        public TEnum? Enum<TEnum>(string name, bool required) where TEnum : struct, Enum
        {
            var node = Node(name);
            var text = Text(name, required);
            if (text is null || node is null) return null;
            if (TeamSetupNames.TryParse<TEnum>(text, out var value)) return value;
            var names = TeamSetupNames.All<TEnum>();
            var suggestion = Closest(text, names);
            Problem(node, $"\"{name}\" must be one of {string.Join(", ", names)}, not \"{text}\"" + (suggestion is null ? string.Empty : $"; did you mean \"{suggestion}\"?"));
            return null;
        }

        public JsonArrayAt? List(string name, bool required)
        {
            if (Present(name, required) is not { } node) return null;
            if (node is JsonArrayAt list) return list;
            Problem(node, $"\"{name}\" must be a list, [ ... ], not {node.Kind}");
            return null;
        }

        public IReadOnlyList<(string Value, JsonNodeAt Node)>? TextList(string name)
        {
            var list = List(name, required: false);
            if (list is null) return null;
            var values = new List<(string, JsonNodeAt)>();
            foreach (var item in list.Items)
            {
                if (item is JsonStringAt text && !string.IsNullOrWhiteSpace(text.Value))
                    values.Add((text.Value.Trim(), item));
                else
                    Problem(item, $"each of \"{name}\" must be non-empty text in quotes, not {(item is JsonStringAt ? "empty text" : item.Kind)}");
            }
            return values;
        }
    }

    private static string Plural(string what) => what.EndsWith('s') ? what : what + "s";

    private static string Listing(IReadOnlyList<string> values) =>
        values.Count <= 12 ? string.Join(", ", values) : string.Join(", ", values.Take(12)) + $", … ({values.Count} in all)";

    /// <summary>The candidate nearest to what was written, when it is near enough to be a typo.</summary>
    private static string? Closest(string text, IEnumerable<string> candidates)
    {
        var wanted = text.ToLower(CultureInfo.InvariantCulture);
        return candidates
            .Select(c => (Candidate: c, Distance: TeamNameResolver.Distance(c.ToLower(CultureInfo.InvariantCulture), wanted)))
            .Where(c => c.Distance > 0 || !string.Equals(c.Candidate, text, StringComparison.Ordinal))
            .Where(c => c.Distance <= Math.Max(1, Math.Min(3, wanted.Length / 3)))
            .OrderBy(c => c.Distance)
            .Select(c => c.Candidate)
            .FirstOrDefault();
    }
}
