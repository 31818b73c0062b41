using EquipmentIoT.Bench.Buffer;
using EquipmentIoT.Bench.Fuzz;
using EquipmentIoT.Bench.Mqtt;

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
        return exitCode;
    }
}
