using EquipmentIoT.EdgeAgent.Configuration;
using EquipmentIoT.EdgeAgent.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EquipmentIoT.EdgeAgent.Cli;

/// <summary><c>eqiot agent run --config FILE [--broker mqtt://HOST:PORT] [--data DIR]</c>: the agent as a service.</summary>
public static class RunCommand
{
    private const string Usage = "usage: eqiot agent run --config FILE [--broker mqtt://HOST:PORT|mqtts://HOST:PORT] [--data DIR] [--id AGENT_ID]";

    /// <summary>Runs until SIGTERM/SIGINT; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        string? config = null;
        var overrides = new Dictionary<string, string?>();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--config" or "-c" when value is not null:
                    config = value;
                    i++;
                    break;
                case "--broker" when value is not null:
                    overrides["Agent:Transport:Mqtt:Broker"] = value;
                    i++;
                    break;
                case "--data" when value is not null:
                    overrides["Agent:DataDirectory"] = Path.GetFullPath(value);
                    i++;
                    break;
                case "--id" when value is not null:
                    overrides["Agent:Id"] = value;
                    i++;
                    break;
                case "-h" or "--help":
                    Console.WriteLine(Usage);
                    return 0;
                default:
                    Console.Error.WriteLine($"eqiot agent run: unexpected '{args[i]}'\n{Usage}");
                    return 2;
            }
        }

        if (config is null)
        {
            Console.Error.WriteLine($"eqiot agent run: --config is required (see edge-agent/examples/synthetic.json)\n{Usage}");
            return 2;
        }

        if (!File.Exists(config))
        {
            Console.Error.WriteLine($"eqiot agent run: configuration file '{config}' does not exist");
            return 2;
        }

        try
        {
            using var host = AgentHost.Build(config, overrides);
            // Validate before starting, so a bad setting is one clear line per problem, not a host stack trace.
            _ = host.Services.GetRequiredService<IOptions<AgentOptions>>().Value;
            await host.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (OptionsValidationException e)
        {
            Console.Error.WriteLine($"eqiot agent run: the configuration in '{config}' is not valid:");
            foreach (var failure in e.Failures) Console.Error.WriteLine($"  - {failure}");
            return 2;
        }
        catch (InvalidDataException e)
        {
            Console.Error.WriteLine($"eqiot agent run: cannot read '{config}': {e.Message}");
            return 2;
        }
    }
}
