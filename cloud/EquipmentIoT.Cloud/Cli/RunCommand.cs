using EquipmentIoT.Cloud.Hosting;
using Microsoft.Extensions.Options;

namespace EquipmentIoT.Cloud.Cli;

/// <summary><c>eqiot cloud run [--config FILE] [--broker mqtt://HOST:PORT] [--data DIR] [--urls http://127.0.0.1:PORT] [--instance NAME]</c>.</summary>
internal static class RunCommand
{
    public const string Usage = "usage: eqiot cloud run [--config FILE] [--broker mqtt://HOST:PORT] [--data DIR] [--urls http://127.0.0.1:PORT] [--instance NAME]";

    public static async Task<int> RunAsync(string[] args)
    {
        var a = CommandArguments.Parse(args, ["--config", "--broker", "--data", "--urls", "--instance"]);
        if (a.Help)
        {
            Console.WriteLine(Usage);
            return 0;
        }
        if (a.Error is not null) return Fail(a.Error);
        var config = a["--config"];
        if (config is not null && !File.Exists(config)) return Fail($"configuration file '{config}' does not exist");

        var overrides = new Dictionary<string, string?>();
        if (a["--broker"] is { } broker) overrides["Ingestion:Broker"] = broker;
        if (a["--data"] is { } data) overrides["Cloud:DataDirectory"] = Path.GetFullPath(data);
        if (a["--urls"] is { } urls) overrides["Urls"] = urls;
        if (a["--instance"] is { } instance) overrides["Ingestion:InstanceName"] = instance;
        try
        {
            await using var app = CloudHost.Build(config, overrides);
            await app.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (OptionsValidationException e)
        {
            Console.Error.WriteLine("eqiot cloud run: the configuration is not valid:");
            foreach (var failure in e.Failures) Console.Error.WriteLine($"  - {failure}");
            return 2;
        }
        catch (InvalidDataException e)
        {
            return Fail($"cannot read '{config}': {e.Message}");
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"eqiot cloud run: {message}\n{Usage}");
        return 2;
    }
}
