using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Mqtt;

/// <summary>
/// Runs the built agent, <c>dotnet eqiot-agent.dll …</c>, as a real child process (see <see cref="BuiltProgram"/>).
/// </summary>
internal static class EqiotAgent
{
    public static string Dll { get; } = BuiltProgram.Dll("EqiotAgentDll", "eqiot-agent.dll", "EdgeAgent");

    public static string DotnetHost => BuiltProgram.DotnetHost;

    public static ChildProcess Start(IEnumerable<string> arguments) => ChildProcess.Start(DotnetHost, [Dll, .. arguments]);
}
