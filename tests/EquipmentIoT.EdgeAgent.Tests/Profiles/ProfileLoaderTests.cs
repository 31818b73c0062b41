using EquipmentIoT.EdgeAgent.Profiles;

namespace EquipmentIoT.EdgeAgent.Tests.Profiles;

public sealed class ProfileLoaderTests
{
    [Fact]
    public void Parse_UnknownKey_NamesFileLineAndKey()
    {
        var result = ProfileLoader.Parse("site/ct.yaml", "profile: ct-x\nkind: ct\nmanufactuer: Acme\nmpps: { modality: CT }\n");

        Assert.False(result.Success);
        var line = Assert.Single(result.Describe());
        Assert.StartsWith("site/ct.yaml:3: ", line, StringComparison.Ordinal);
        Assert.Contains("manufactuer", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SyntaxError_NamesTheLine()
    {
        var result = ProfileLoader.Parse("p.yaml", "profile: ct-x\nkind: [ct\n");

        Assert.False(result.Success);
        Assert.True(Assert.Single(result.Errors).Line >= 2);
    }

    [Fact]
    public void Parse_MissingKindAndSections_ReportsEveryProblem()
    {
        var result = ProfileLoader.Parse("p.yaml", "profile: ct-x\n");

        Assert.False(result.Success);
        Assert.Equal(2, result.Errors.Count);
        Assert.Contains(result.Errors, e => e.Message.Contains("'kind'", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Message.Contains("at least one of", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_Empty_IsAnError()
    {
        var result = ProfileLoader.Parse("p.yaml", "# nothing\n");

        Assert.Equal("p.yaml: the file is empty", Assert.Single(result.Describe()));
    }

    [Fact]
    public void Parse_NestedSection_RecordsItsLine()
    {
        var result = ProfileLoader.Parse("p.yaml", "profile: mr-x\nkind: mr\nmodel: M1\n\nmpps:\n  modality: MR\n");

        Assert.True(result.Success, string.Join("; ", result.Describe()));
        Assert.Equal("M1", result.Profile!.Model);
        Assert.Equal(6, result.Profile.Mpps!.Line);
    }

    [Fact]
    public void Load_MissingFile_SaysSo()
    {
        var result = ProfileLoader.Load("/nonexistent/profile.yaml");

        Assert.Equal("/nonexistent/profile.yaml: file not found", Assert.Single(result.Describe()));
    }
}
