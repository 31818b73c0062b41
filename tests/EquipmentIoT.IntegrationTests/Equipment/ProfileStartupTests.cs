using System.Text.Json;
using System.Text.Json.Nodes;
using EquipmentIoT.IntegrationTests.Mqtt;

namespace EquipmentIoT.IntegrationTests.Equipment;

/// <summary>A site's own profile with a mistake stops the real agent at start, naming the file, the line and the reason.</summary>
public sealed class ProfileStartupTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Run_SiteProfileWithErrors_RefusesToStartNamingFileLineAndReason()
    {
        var dir = Directory.CreateTempSubdirectory("eqiot-profile-").FullName;
        try
        {
            var profiles = Path.Combine(dir, "data", "profiles");
            Directory.CreateDirectory(profiles);
            var profile = Path.Combine(profiles, "chiller-x.yaml");
            await File.WriteAllTextAsync(profile, """
                profile: chiller-x
                kind: mr
                modbus:
                  registers:
                    - { name: water, function: 4, address: 0, type: uint61, unit: Cel }
                    - { name: flow, function: 7, address: 1 }
                    - { name: room, function: 4, address: 2, unit: "°C" }
                """);
            var config = new JsonObject
            {
                ["Agent"] = new JsonObject
                {
                    ["Id"] = "agent-profile",
                    ["DataDirectory"] = Path.Combine(dir, "data"),
                    ["Devices"] = new JsonArray(new JsonObject
                    {
                        ["Id"] = "mr-09", ["Kind"] = "mr", ["Profile"] = "chiller-x",
                        ["Modbus"] = new JsonObject { ["Endpoint"] = "tcp://127.0.0.1:1502" },
                    }),
                },
            };
            var file = Path.Combine(dir, "agent.json");
            await File.WriteAllTextAsync(file, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

            await using var agent = EqiotAgent.Start(["run", "--config", file]);

            Assert.Equal(2, await agent.WaitForExitAsync(Long));
            var errors = string.Join('\n', agent.StderrLines);
            Assert.Contains($"device 'mr-09': profile {profile}:5: register 'water': 'type' 'uint61'", errors, StringComparison.Ordinal);
            Assert.Contains($"{profile}:6: register 'flow': 'function' 7", errors, StringComparison.Ordinal);
            Assert.Contains($"{profile}:7: register 'room': 'unit' \"°C\" must be a UCUM code", errors, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
