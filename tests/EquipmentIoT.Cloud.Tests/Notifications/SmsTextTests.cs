using EquipmentIoT.Cloud.Notifications.Sms;

namespace EquipmentIoT.Cloud.Tests.Notifications;

/// <summary>GSM 03.38 or UCS-2, part counts (160/153 septets, 70/67 units) and cutting to the part limit.</summary>
public sealed class SmsTextTests
{
    [Theory]
    [InlineData("CT-01 tube temperature high", 27)]
    [InlineData("Zürich: 5 € {x}", 18)] // € { } take two septets each
    [InlineData("", 0)]
    public void Gsm7Septets_GsmText_CountsExtensionCharactersTwice(string text, int septets) => Assert.Equal(septets, SmsText.Gsm7Septets(text));

    [Theory]
    [InlineData("CT-01 球管温度过高")]
    [InlineData("emoji 😀")]
    [InlineData("`backtick`")] // not in the GSM alphabet
    public void Fit_NonGsmText_UsesUcs2(string text)
    {
        Assert.Null(SmsText.Gsm7Septets(text));
        var payload = SmsText.Fit(text, 3);
        Assert.Equal(SmsText.Ucs2Coding, payload.Coding);
        Assert.Equal(text, payload.Text);
        Assert.False(payload.Truncated);
    }

    [Theory]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    public void Fit_GsmText_CountsParts(int length, int parts)
    {
        var payload = SmsText.Fit(new string('a', length), 3);
        Assert.Equal(SmsText.Gsm7Coding, payload.Coding);
        Assert.Equal(parts, payload.Parts);
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    public void Fit_ChineseText_CountsUcs2Parts(int length, int parts) => Assert.Equal(parts, SmsText.Fit(new string('警', length), 3).Parts);

    [Fact]
    public void Fit_TooLong_CutsToMaxPartsWithEllipsis()
    {
        var payload = SmsText.Fit(new string('警', 500), 2);
        Assert.True(payload.Truncated);
        Assert.Equal(134, payload.Text.Length);
        Assert.EndsWith("...", payload.Text, StringComparison.Ordinal);
        Assert.Equal(2, payload.Parts);

        var gsm = SmsText.Fit(new string('a', 200), 1);
        Assert.Equal(160, gsm.Text.Length);
        Assert.Equal(1, gsm.Parts);
    }

    [Fact]
    public void Fit_CutAtASurrogatePair_KeepsThePairWhole()
    {
        // 64 units of Chinese, then emoji of 2 units each: a single SMS leaves 70 - 3 = 67 units before "...", and the
        // second emoji would end at unit 68, so the cut falls after the first.
        var text = new string('警', 64) + "😀😀😀😀😀";
        var payload = SmsText.Fit(text, 1);
        Assert.True(payload.Truncated);
        Assert.Equal(new string('警', 64) + "😀...", payload.Text);
    }

    [Fact]
    public void Compose_SubjectAndBody_SubjectOnTheFirstLine()
    {
        Assert.Equal("告警\nCT-01", SmsText.Compose("告警", "CT-01"));
        Assert.Equal("CT-01", SmsText.Compose("", "CT-01"));
        Assert.Equal("告警", SmsText.Compose("告警", ""));
    }
}
