using EquipmentIoT.Bench.Buffer;
using EquipmentIoT.Bench.CloudStore;
using EquipmentIoT.Bench.Drain;
using EquipmentIoT.Bench.Footprint;
using EquipmentIoT.Bench.Fuzz;
using EquipmentIoT.Bench.Mqtt;
using EquipmentIoT.Bench.Telemetry;

namespace EquipmentIoT.Bench;

internal static class Usage
{
    public static int Print(TextWriter writer, int exitCode)
    {
        writer.WriteLine("eqiot-bench — measurements run by hand");
        writer.WriteLine();
        writer.WriteLine(MqttBenchOptions.Help);
        writer.WriteLine(MqttFuzzCommand.Help);
        writer.WriteLine(BufferBenchOptions.Help);
        writer.WriteLine(TelemetryBenchOptions.Help);
        writer.WriteLine(DrainBenchOptions.Help);
        writer.WriteLine(AgentFootprintOptions.Help);
        writer.WriteLine(CloudStoreBenchOptions.Help);
        writer.WriteLine(CloudIngest.CloudIngestOptions.Help);
        writer.WriteLine(CloudIngest.CloudRestoreOptions.Help);
        writer.WriteLine(Modbus.ModbusBenchOptions.Help);
        writer.WriteLine(Mpps.MppsBenchOptions.Help);
        writer.WriteLine(Serial.SerialBenchOptions.Help);
        if (OperatingSystem.IsLinux())
        {
            writer.WriteLine(Records.RulesBenchCommand.Help);
            writer.WriteLine(Records.BuildsBenchCommand.Help);
            writer.WriteLine(Influx.InfluxBenchCommand.Help);
            writer.WriteLine(Records.RecordsBenchCommand.Help);
            writer.WriteLine(Ui.UiBenchCommand.Help);
        }
        return exitCode;
    }
}
