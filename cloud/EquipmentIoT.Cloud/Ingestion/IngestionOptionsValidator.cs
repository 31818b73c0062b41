using EquipmentIoT.EdgeAgent.Publishing;
using Microsoft.Extensions.Options;

namespace EquipmentIoT.Cloud.Ingestion;

/// <summary>Validates the data annotations of <see cref="IngestionOptions"/> at start (source-generated).</summary>
[OptionsValidator]
public sealed partial class IngestionOptionsValidator : IValidateOptions<IngestionOptions>
{
}

/// <summary>The rules that span several settings, with a message an operator can act on.</summary>
public sealed class IngestionOptionsRules : IValidateOptions<IngestionOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, IngestionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        BrokerAddress? broker = null;
        try
        {
            broker = BrokerAddress.Parse(options.Broker);
        }
        catch (FormatException e)
        {
            errors.Add($"Ingestion:Broker: {e.Message}");
        }

        if (broker is { Tls: false } && (options.CaFile ?? options.CertFile ?? options.CertKeyFile) is not null)
            errors.Add("Ingestion:CaFile/CertFile/CertKeyFile are TLS settings; the broker address is mqtt:// (use mqtts:// for TLS)");
        if (string.IsNullOrEmpty(options.CertFile) != string.IsNullOrEmpty(options.CertKeyFile))
            errors.Add("Ingestion:CertFile and Ingestion:CertKeyFile go together (a client certificate needs its key)");
        if (!string.IsNullOrEmpty(options.PasswordFile) && string.IsNullOrEmpty(options.UserName))
            errors.Add("Ingestion:PasswordFile needs Ingestion:UserName (MQTT 3.1.1 sends no password without a user name)");
        foreach (var (key, path) in new[] { ("PasswordFile", options.PasswordFile), ("CaFile", options.CaFile), ("CertFile", options.CertFile), ("CertKeyFile", options.CertKeyFile) })
        {
            if (!string.IsNullOrEmpty(path) && !File.Exists(path)) errors.Add($"Ingestion:{key}: '{path}' does not exist");
        }

        if (options.MaxResendInterval < options.ResendInterval)
            errors.Add("Ingestion:MaxResendInterval must not be shorter than Ingestion:ResendInterval");
        if (options.ClientId is { Length: > 0 } id && System.Text.Encoding.UTF8.GetByteCount(id) > 65_535)
            errors.Add("Ingestion:ClientId is longer than 65535 UTF-8 bytes");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
