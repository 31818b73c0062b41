using EquipmentIoT.EdgeAgent.Profiles;

namespace EquipmentIoT.EdgeAgent.Tests.Profiles;

/// <summary>The profiles shipped in edge-agent/profiles load, and say what the issue asks of each kind.</summary>
public sealed class ShippedProfilesTests
{
    private static readonly ProfileCatalog Catalog = new(Path.GetFullPath, siteDirectory: null);

    public static TheoryData<string> Names => new(Catalog.BuiltInNames);

    [Theory]
    [MemberData(nameof(Names))]
    public void Load_ShippedProfile_HasNoError(string name)
    {
        var result = Catalog.Load(name);

        Assert.True(result.Success, string.Join("\n", result.Describe()));
        Assert.Equal(name, result.Profile!.Profile);
    }

    [Fact]
    public void BuiltInNames_CoverCtMrAndPrinter()
    {
        Assert.Equal(["am-printer-pbf", "ct-serial-mpps", "mr-helium-monitor"], Catalog.BuiltInNames);
    }

    [Fact]
    public void CtProfile_ReadsSerialStatusAndMppsExams()
    {
        var ct = Catalog.Load("ct-serial-mpps").Profile!;

        Assert.Equal("ct", ct.Kind);
        Assert.NotNull(ct.Serial);
        Assert.Equal("CT", ct.Mpps!.Modality);
    }

    [Fact]
    public void MrProfile_MapsHeliumCompressorChillerAndRoom()
    {
        var mr = Catalog.Load("mr-helium-monitor").Profile!;

        var names = mr.Modbus!.Registers.Select(r => r.Name).ToList();
        Assert.Subset(names.ToHashSet(), new HashSet<string> { "helium_level", "helium_pressure", "compressor", "cold_head_temperature",
            "chiller_water_temperature", "magnet_room_temperature", "magnet_room_humidity" });
        Assert.Equal("MR", mr.Mpps!.Modality);
    }

    [Fact]
    public void PrinterProfile_MapsJobLayersStateOxygenTemperaturesLaserAndRecoater()
    {
        var printer = Catalog.Load("am-printer-pbf").Profile!;

        var names = printer.Modbus!.Registers.Select(r => r.Name).ToHashSet();
        Assert.Subset(names, new HashSet<string> { "job_id", "layers_planned", "layer_current", "printer", "chamber_o2", "chamber_temperature",
            "build_plate_temperature", "laser_power", "recoater_passes" });
    }

    [Fact]
    public void Load_UnknownName_ListsTheShippedOnes()
    {
        var result = Catalog.Load("ct-typo");

        Assert.False(result.Success);
        Assert.Contains("shipped: am-printer-pbf, ct-serial-mpps, mr-helium-monitor", Assert.Single(result.Describe()), StringComparison.Ordinal);
    }
}
