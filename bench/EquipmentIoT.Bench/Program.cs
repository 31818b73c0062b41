using EquipmentIoT.Bench;
using EquipmentIoT.Bench.CloudStore;
using EquipmentIoT.Bench.Drain;
using EquipmentIoT.Bench.Footprint;
using EquipmentIoT.Bench.Fuzz;
using EquipmentIoT.Bench.Mqtt;
using EquipmentIoT.Bench.Telemetry;

// eqiot-bench: measurements run by hand (not tests). Each command lives in its own folder.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

return args switch
{
    ["mqtt", .. var rest] => await MqttBenchCommand.RunAsync(rest, cancel.Token),
    ["mqtt-fuzz", .. var rest] => MqttFuzzCommand.Run(rest),
    ["buffer", .. var rest] => await EquipmentIoT.Bench.Buffer.BufferBenchCommand.RunAsync(rest, cancel.Token),
    ["telemetry", .. var rest] => TelemetryBenchCommand.Run(rest),
    ["drain", .. var rest] => await DrainBenchCommand.RunAsync(rest, cancel.Token),
    ["agent-footprint", .. var rest] => await AgentFootprintCommand.RunAsync(rest, cancel.Token),
    ["influx", .. var rest] when OperatingSystem.IsLinux() => await EquipmentIoT.Bench.Influx.InfluxBenchCommand.RunAsync(rest, cancel.Token),
    ["cloud-store", .. var rest] => await CloudStoreBenchCommand.RunAsync(rest, cancel.Token),
    ["cloud-ingest", .. var rest] => await EquipmentIoT.Bench.CloudIngest.CloudIngestCommand.RunAsync(rest, cancel.Token),
    ["cloud-restore", .. var rest] => await EquipmentIoT.Bench.CloudIngest.CloudRestoreCommand.RunAsync(rest, cancel.Token),
    ["modbus", .. var rest] => await EquipmentIoT.Bench.Modbus.ModbusBenchCommand.RunAsync(rest, cancel.Token),
    ["mpps", .. var rest] => await EquipmentIoT.Bench.Mpps.MppsBenchCommand.RunAsync(rest, cancel.Token),
    ["serial", .. var rest] => await EquipmentIoT.Bench.Serial.SerialBenchCommand.RunAsync(rest, cancel.Token),
    ["rules", .. var rest] when OperatingSystem.IsLinux() => EquipmentIoT.Bench.Records.RulesBenchCommand.Run(rest),
    ["builds", .. var rest] when OperatingSystem.IsLinux() => await EquipmentIoT.Bench.Records.BuildsBenchCommand.RunAsync(rest, cancel.Token),
    ["records", .. var rest] when OperatingSystem.IsLinux() => await EquipmentIoT.Bench.Records.RecordsBenchCommand.RunAsync(rest, cancel.Token),
    ["ui", .. var rest] when OperatingSystem.IsLinux() => await EquipmentIoT.Bench.Ui.UiBenchCommand.RunAsync(rest, cancel.Token),
    ["--help" or "-h" or "help"] => Usage.Print(Console.Out, 0),
    _ => Usage.Print(Console.Error, 2),
};
