using EquipmentIoT.Cloud.Builds;

namespace EquipmentIoT.Cloud.Tests.Builds;

public sealed class BuildEntryKindsTests
{
    [Theory]
    [InlineData("material", "material=Ti-6Al-4V ELI;powder_lot=PL-2026-118;reuse_count=3;sieve=sieved 63 µm")]
    [InlineData("design", "file=hip-cup-A17.3mf;sha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    [InlineData("inspection", "test=dimensions;result=pass;details=CMM within ±0.1 mm")]
    [InlineData("sterilisation", "method=steam;batch=ST-771;date=2026-12-03")]
    [InlineData("order", "order_ref=SO-1188;case_ref=CASE-7Q2K;device_name=髋臼杯 acetabular cup")]
    public void Validate_CompleteEntries_Accepted(string kind, string fields) => Assert.Null(BuildEntryKinds.Validate(kind, Fields(fields)));

    [Theory]
    [InlineData("weld", "text=x", "unknown entry kind 'weld'")]
    [InlineData("material", "material=Ti;powder_lot=PL-1;sieve=yes", "a material entry needs 'reuse_count'")]
    [InlineData("material", "material=Ti;powder_lot=PL-1;sieve=yes;reuse_count=many", "'reuse_count' must be a whole number")]
    [InlineData("design", "file=a.stl;sha256=abc", "64 hexadecimal digits")]
    [InlineData("inspection", "test=fit;result=maybe", "'result' must be one of: pass, fail")]
    [InlineData("order", "order_ref=1;case_ref=C;device_name=D;patient_name=Zhang San", "would carry patient identity")]
    [InlineData("note", "Text=x", "field name 'Text'")]
    [InlineData("sterilisation", "method=steam;batch=1;date=3/12/2026", "yyyy-MM-dd")]
    public void Validate_BadEntries_RefusedWithReason(string kind, string fields, string reason)
    {
        var error = BuildEntryKinds.Validate(kind, Fields(fields));

        Assert.NotNull(error);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Fields(string text) =>
        text.Split(';').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
}
