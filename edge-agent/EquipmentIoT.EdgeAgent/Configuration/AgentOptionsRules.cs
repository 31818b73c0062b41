using Microsoft.Extensions.Options;

namespace EquipmentIoT.EdgeAgent.Configuration;

/// <summary>The rules that span several settings, checked at start with a message an engineer can act on.</summary>
public sealed class AgentOptionsRules : IValidateOptions<AgentOptions>
{
    private static readonly string[] KnownAdapters = ["synthetic", "profile"];

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

        foreach (var d in options.Devices.Where(d => !KnownAdapters.Contains(d.EffectiveAdapter, StringComparer.Ordinal)))
        {
            errors.Add($"Agent:Devices: device '{d.Id}' has adapter '{d.Adapter}'; known adapters: {string.Join(", ", KnownAdapters)}");
        }

        errors.AddRange(ProfileErrors(options));

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    // A profile with an error stops the start, naming the file, the line and the reason.
    private static IEnumerable<string> ProfileErrors(AgentOptions options)
    {
        var catalog = Profiles.ProfileCatalog.For(options);
        var profiled = new List<(DeviceOptions, Profiles.DeviceProfile)>();
        foreach (var d in options.Devices.Where(d => d.EffectiveAdapter == "profile"))
        {
            if (string.IsNullOrWhiteSpace(d.Profile))
            {
                yield return $"Agent:Devices: device '{d.Id}' reads through a profile but names none (Profile: a shipped name, a name in {options.ProfileDirectory}, or a file)";
                continue;
            }

            var loaded = catalog.Load(d.Profile);
            foreach (var line in loaded.Describe()) yield return $"Agent:Devices: device '{d.Id}': profile {line}";
            if (loaded.Profile is { } profile)
            {
                profiled.Add((d, profile));
                foreach (var missing in DeviceConnections.Missing(d, profile, options)) yield return $"Agent:Devices: device '{d.Id}': {missing}";
            }
        }

        if (options.Mpps is not null)
        {
            foreach (var e in DeviceConnections.MppsListener(options, profiled).BindingErrors()) yield return $"Agent:Mpps: {e}";
        }
    }
}
