using EquipmentIoT.EdgeAgent.Adapters.Serial;
using EquipmentIoT.EdgeAgent.Profiles;

namespace EquipmentIoT.EdgeAgent.Tests.Adapters.Serial;

/// <summary>Profiles for the serial tests: a CT whose status lines come in three shapes.</summary>
internal static class SerialProfiles
{
    // Line numbers matter: SerialProfileTests names them.
    public const string Ct = """
        profile: ct-serial-test
        kind: ct
        serial:
          encoding: ascii
          maxLineLength: 64
          lineEnding: crlf
          lines:
            # STAT T=415 kv=120 S=SCN F=0
            - match: '^STAT '
              grammar: key-value
              keyValueSeparator: '='
              metrics:
                - field: T
                  name: tube_temperature
                  unit: Cel
                  scale: 0.1
                  offset: -1
                - field: kv
                  unit: kV
              states:
                - field: S
                  map: { RDY: ready, SCN: scanning, ERR: fault }
              faults:
                - field: F
                  clear: ["0", "OK", ""]
                  text: { E101: "tube overtemperature" }
                  severity: critical
            # CSV,CT1,41.5,120,x,PARK,0
            - match: '^CSV,'
              grammar: csv
              delimiter: ','
              columns: ['-', tag, tube_temp, kv, '-', gantry, fault]
              metrics:
                - field: tube_temp
              states:
                - field: gantry
                  name: gantry
              faults:
                - field: fault
            # READY T=41.5
            - grammar: regex
              pattern: '^(?<state>\w+) T=(?<tube_temperature>[-\d.]+)$'
              metrics:
                - field: tube_temperature
                  unit: Cel
              states:
                - field: state
        """;

    public static SerialProfile Load(string yaml = Ct)
    {
        var result = ProfileLoader.Parse("test.yaml", yaml);
        Assert.True(result.Success, string.Join("\n", result.Describe()));
        return result.Profile!.Serial!;
    }
}
