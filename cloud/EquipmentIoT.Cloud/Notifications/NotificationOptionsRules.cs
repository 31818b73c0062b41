using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace EquipmentIoT.Cloud.Notifications;

/// <summary>
/// The rules of <see cref="NotificationOptions"/> beyond each property's annotations (those are checked by
/// ValidateDataAnnotations): the configured channels' own settings, files that must exist, settings that
/// depend on each other; with messages an operator can act on.
/// </summary>
public sealed partial class NotificationOptionsRules : IValidateOptions<NotificationOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.RetryMaxDelay < options.RetryInitialDelay)
            errors.Add("Notifications:RetryMaxDelay must not be shorter than Notifications:RetryInitialDelay");
        if (options.SendingLease <= options.SendTimeout)
            errors.Add("Notifications:SendingLease must be longer than Notifications:SendTimeout (else a slow send is taken back and sent twice)");

        var sms = options.Sms ?? new KannelOptions();
        if (sms.IsConfigured)
        {
            Annotations(sms, "Notifications:Sms", errors);
            HttpUrl(sms.SendSmsUrl, "Notifications:Sms:SendSmsUrl", errors);
            if (string.IsNullOrEmpty(sms.UserName)) errors.Add("Notifications:Sms:UserName is required with Notifications:Sms:SendSmsUrl");
            RequiredFile(sms.PasswordFile, "Notifications:Sms:PasswordFile", errors);
            if (sms.DeliveryReportBaseUrl is not null) HttpUrl(sms.DeliveryReportBaseUrl, "Notifications:Sms:DeliveryReportBaseUrl", errors);
        }

        var email = options.Email ?? new SmtpOptions();
        if (email.IsConfigured)
        {
            Annotations(email, "Notifications:Email", errors);
            if (!Enum.IsDefined(email.Security)) errors.Add("Notifications:Email:Security must be Required, Opportunistic, None or Implicit");
            if (string.IsNullOrEmpty(email.From) || !MailboxAddress.TryParse(email.From, out var from) || !from.Address.Contains('@', StringComparison.Ordinal))
                errors.Add("Notifications:Email:From must be a sender address ('EquipmentIoT <alerts@hospital.example>')");
            if (!string.IsNullOrEmpty(email.PasswordFile))
            {
                if (string.IsNullOrEmpty(email.UserName)) errors.Add("Notifications:Email:PasswordFile needs Notifications:Email:UserName");
                RequiredFile(email.PasswordFile, "Notifications:Email:PasswordFile", errors);
            }
            else if (!string.IsNullOrEmpty(email.UserName))
            {
                errors.Add("Notifications:Email:UserName needs Notifications:Email:PasswordFile");
            }
        }

        foreach (var (hook, target) in options.Webhooks ?? [])
        {
            var key = $"Notifications:Webhooks:{hook}";
            if (!WebhookName().IsMatch(hook)) errors.Add($"{key}: a webhook name is 1-64 of A-Z a-z 0-9 . _ -");
            if (target is null)
            {
                errors.Add($"{key} needs Url and SecretFile");
                continue;
            }
            Annotations(target, key, errors);
            if (target.Url is not null) HttpUrl(target.Url, $"{key}:Url", errors);
            if (!string.IsNullOrEmpty(target.SecretFile)) RequiredFile(target.SecretFile, $"{key}:SecretFile", errors);
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Webhook names: what may stand in a configuration key and a recipient column.</summary>
    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    public static partial Regex WebhookName();

    // ValidateDataAnnotations checks the top level only; the nested sections of configured channels are checked here.
    private static void Annotations(object section, string key, List<string> errors)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(section, new ValidationContext(section), results, validateAllProperties: true)) return;
        errors.AddRange(results.Select(r => $"{key}: {r.ErrorMessage}"));
    }

    private static void HttpUrl(Uri? url, string key, List<string> errors)
    {
        if (url is not { IsAbsoluteUri: true } || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            errors.Add($"{key} must be an absolute http:// or https:// URL");
        else if (!string.IsNullOrEmpty(url.UserInfo))
            errors.Add($"{key} must not hold credentials (use the password or secret file)");
    }

    private static void RequiredFile(string? path, string key, List<string> errors)
    {
        if (string.IsNullOrEmpty(path)) errors.Add($"{key} is required");
        else if (!File.Exists(path)) errors.Add($"{key}: '{path}' does not exist");
    }
}
