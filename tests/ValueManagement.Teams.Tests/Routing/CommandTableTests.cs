using ValueManagement.Teams.Routing;

namespace ValueManagement.Teams.Tests.Routing;

public sealed class CommandTableTests
{
    private sealed class FakeCommand(string name, params string[] aliases) : IBotCommand
    {
        public CommandInfo Info { get; } = new(name, name, name) { Aliases = aliases };
        public Task ExecuteAsync(CommandRequest request, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [Theory]
    [InlineData("report ward 7", "report", "ward 7")]
    [InlineData("/report ward 7", "report", "ward 7")]
    [InlineData("/ REPORT   ward 7 ", "report", "ward 7")]
    [InlineData("Report", "report", "")]
    [InlineData("bs ward 7", "boxscore", "ward 7")]
    public void Match_FindsTheCommandExactly_CaseInsensitive_WithOptionalSlash(string text, string command, string arguments)
    {
        var table = new CommandTable([new FakeCommand("report"), new FakeCommand("boxscore", "bs")]);

        var match = table.Match(text);

        Assert.NotNull(match);
        Assert.Equal(command, match.Value.Command.Info.Name);
        Assert.Equal(arguments, match.Value.Arguments);
    }

    [Theory]
    [InlineData("reports ward 7")]
    [InlineData("rep")]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("what is the report")]
    public void Match_PrefixOrOtherWord_IsNotACommand(string text)
    {
        var table = new CommandTable([new FakeCommand("report")]);
        Assert.Null(table.Match(text));
    }

    [Theory]
    [InlineData("Report!", "report", "")]
    [InlineData("report? ward 7", "report", "ward 7")]
    [InlineData("bs.", "boxscore", "")]
    [InlineData("?", "help", "")]
    public void Match_IgnoresPunctuationAfterTheCommandWord(string text, string command, string arguments)
    {
        var table = new CommandTable([new FakeCommand("report"), new FakeCommand("boxscore", "bs"), new FakeCommand("help", "?")]);

        var match = table.Match(text);

        Assert.NotNull(match);
        Assert.Equal(command, match.Value.Command.Info.Name);
        Assert.Equal(arguments, match.Value.Arguments);
    }

    [Theory]
    [InlineData("repot ward 7", "report", "ward 7")]
    [InlineData("/Rpeort", "report", "")]
    [InlineData("boxscroe?", "boxscore", "")]
    [InlineData("b", "boxscore", "")]
    public void Suggest_FindsTheCommandOneOrTwoEditsAway(string text, string command, string arguments)
    {
        var table = new CommandTable([new FakeCommand("report"), new FakeCommand("boxscore", "bs")]);

        var suggestion = table.Suggest(text, _ => true);

        Assert.NotNull(suggestion);
        Assert.Equal(command, suggestion.Value.Command.Name);
        Assert.Equal(arguments, suggestion.Value.Arguments);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("xyzzy ward 7")]
    [InlineData("")]
    public void Suggest_NothingClose_IsNull(string text)
    {
        var table = new CommandTable([new FakeCommand("report"), new FakeCommand("help")]);
        Assert.Null(table.Suggest(text, _ => true));
    }

    [Fact]
    public void Suggest_OnlyAmongTheCommandsOffered()
    {
        var table = new CommandTable([new FakeCommand("report"), new FakeCommand("status")]);
        Assert.Null(table.Suggest("statsu", c => c.Name != "status"));
    }

    [Fact]
    public void DuplicateNameOrAlias_Throws()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new CommandTable([new FakeCommand("report"), new FakeCommand("summary", "REPORT")]));
        Assert.Contains("report", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Commands_AreOrderedMostUsedFirst()
    {
        var table = new CommandTable([new FakeCommand("zeta") , new FakeCommand("alpha")]);
        Assert.Equal(["alpha", "zeta"], table.Commands.Select(c => c.Info.Name));
    }
}
