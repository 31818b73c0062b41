using Microsoft.Extensions.Options;

namespace EquipmentIoT.EdgeAgent.Configuration;

/// <summary>The rules that span several settings, checked at start with a message an engineer can act on.</summary>
public sealed class AgentOptionsRules : IValidateOptions<AgentOptions>
{
    private static readonly string[] KnownAdapters = ["synthetic"];

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        try
        {
            _ = Publishing.BrokerAddress.Parse(options.Transport.Mqtt.Broker);
        }
        catch (FormatException e)
        {
            errors.Add($"Agent:Transport:Mqtt:Broker: {e.Message}");
        }

        if (options.Transport.Kind == "azure-iot-hub" && options.Transport.AzureIotHub is null)
        {
            errors.Add("Agent:Transport:Kind is azure-iot-hub but Agent:Transport:AzureIotHub is missing");
        }

        foreach (var group in options.Devices.GroupBy(d => d.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"Agent:Devices: device id '{group.Key}' appears {group.Count()} times");
        }

        foreach (var d in options.Devices.Where(d => !KnownAdapters.Contains(d.Adapter, StringComparer.Ordinal)))
        {
            errors.Add($"Agent:Devices: device '{d.Id}' has adapter '{d.Adapter}'; known adapters: {string.Join(", ", KnownAdapters)}");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
