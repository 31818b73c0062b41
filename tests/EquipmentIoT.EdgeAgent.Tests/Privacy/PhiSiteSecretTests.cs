using EquipmentIoT.EdgeAgent.Privacy;

namespace EquipmentIoT.EdgeAgent.Tests.Privacy;

public sealed class PhiSiteSecretTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("eqiot-phi-").FullName;

    [Fact]
    public void TryLoad_ThirtyTwoRandomBytes_Loads()
    {
        var path = Path.Combine(_directory, "site.secret");
        File.WriteAllBytes(path, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        Assert.True(PhiSiteSecret.TryLoad(path, out var secret, out var problem), problem);
        Assert.Equal(32, secret.Length);
        Assert.Equal("site secret (32 bytes)", secret.ToString());
    }

    [Fact]
    public void TryLoad_TooShort_RefusedWithReasonNotContent()
    {
        var path = Path.Combine(_directory, "short.secret");
        File.WriteAllText(path, "hunter2-hunter2");

        Assert.False(PhiSiteSecret.TryLoad(path, out _, out var problem));
        Assert.Contains("at least 32", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoad_Missing_SaysHowToCreateIt()
    {
        Assert.False(PhiSiteSecret.TryLoad(Path.Combine(_directory, "none"), out _, out var problem));
        Assert.Contains("head -c 32 /dev/urandom", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ShortKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => new PhiSiteSecret(new byte[31]));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
