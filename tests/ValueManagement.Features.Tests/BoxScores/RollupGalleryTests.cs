using System.Text.RegularExpressions;
using ValueManagement.Features.Cards;

namespace ValueManagement.Features.Tests.BoxScores;

/// <summary>The gallery's large board (the demo teams and 39 copies of three demo wards) flags some teams, not every one.</summary>
public sealed partial class RollupGalleryTests
{
    [Fact]
    public void LargeBoard_FlagsTheTeamsWithAConcern_NotAll()
    {
        var json = CardGallery.Build("rollup-large-board").ToJson();

        var match = NeedALook().Match(json);
        Assert.True(match.Success, "The roll-up says how many teams need a look.");
        var flagged = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(45, int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(flagged, 1, 44);
    }

    [GeneratedRegex(@"(\d+) of (\d+) teams need a look")]
    private static partial Regex NeedALook();
}
