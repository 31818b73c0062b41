using System.ComponentModel.DataAnnotations;
using EquipmentIoT.EdgeAgent.Adapters.Mpps;
using EquipmentIoT.EdgeAgent.Profiles;

namespace EquipmentIoT.EdgeAgent.Tests.Adapters.Mpps;

public sealed class MppsProfileTests
{
    [Fact]
    public void Parse_GoodMppsSection_Loads()
    {
        const string yaml = """
            profile: ct-generic
            kind: ct
            mpps:
              modality: CT
              attributes: [PatientAge, PatientSex, AccessionNumber, StudyID, PatientID, PatientWeight]
            """;
        var result = ProfileLoader.Parse("ct.yaml", yaml);
        Assert.True(result.Success, string.Join("; ", result.Describe()));
        Assert.Equal("CT", result.Profile!.Mpps!.Modality);
        Assert.Equal(["PatientAge", "PatientSex", "AccessionNumber", "StudyID", "PatientID", "PatientWeight"], result.Profile.Mpps.Attributes);
        Assert.Equal(4, result.Profile.Mpps.Line); // the section's first key
    }

    [Theory]
    [InlineData("mpps:\n  attributes: []", 4, "'modality' (CT, MR, …) is required")]
    [InlineData("mpps:\n  modality: ct", 4, "is not a DICOM modality code")]
    [InlineData("mpps:\n  modality: CT\n  attributes: [PatientAgee]", 4, "'PatientAgee' is not a DICOM keyword")]
    [InlineData("mpps:\n  modality: CT\n  attributes: [PatientName]", 4, "never leaves the hospital")]
    [InlineData("mpps:\n  modality: CT\n  attributes: [PatientBirthDate]", 4, "never leaves the hospital")]
    [InlineData("mpps:\n  modality: CT\n  attributes: [StudyID, StudyID]", 4, "listed twice")]
    [InlineData("mpps:\n  modality: CT\n  attributes: [MessageID]", 4, "not a DICOM keyword of the MPPS dictionary")]
    [InlineData("mpps:\n  modality: CT\n  attrs: [StudyID]", 5, "attrs")]
    public void Parse_BadMppsSection_ErrorNamesLine(string section, int line, string message) // lines of the section's keys
    {
        var result = ProfileLoader.Parse("bad.yaml", "profile: x\nkind: ct\n" + section + "\n");
        Assert.False(result.Success);
        var error = Assert.Single(result.Errors);
        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ListenerOptions_Defaults_AreValidWithACallingAeTitle()
    {
        var options = new MppsListenerOptions { Devices = [new MppsDeviceBinding { DeviceId = "ct-1", CallingAeTitle = "CT01" }] };
        Assert.Empty(Validate(options));
        Assert.Equal(11112, options.Port);
        Assert.Equal("127.0.0.1", options.BindAddress);
    }

    [Fact]
    public void ListenerOptions_BadSettings_AreNamed()
    {
        var options = new MppsListenerOptions
        {
            TimeZone = "Mars/Olympus",
            BindAddress = "localhost",
            AeTitle = "AN AE TITLE TOO LONG",
            Devices =
            [
                new MppsDeviceBinding { DeviceId = "ct-1", StationAeTitle = "CT01" },
                new MppsDeviceBinding { DeviceId = "ct-1", StationAeTitle = "CT01" },
            ],
        };
        var errors = string.Join("\n", Validate(options).Concat(options.BindingErrors()));
        Assert.Contains("TimeZone 'Mars/Olympus'", errors, StringComparison.Ordinal);
        Assert.Contains("BindAddress 'localhost'", errors, StringComparison.Ordinal);
        Assert.Contains("AeTitle must be 1-16", errors, StringComparison.Ordinal);
        Assert.Contains("no device has a CallingAeTitle", errors, StringComparison.Ordinal);
        Assert.Contains("'ct-1' is listed more than once", errors, StringComparison.Ordinal);
        Assert.Contains("cannot be told apart", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void DeviceBinding_WithoutAnyAeTitle_IsRefused()
    {
        var binding = new MppsDeviceBinding { DeviceId = "ct-1" };
        Assert.Contains(Validate(binding), e => e.Contains("needs a CallingAeTitle, a StationAeTitle or both", StringComparison.Ordinal));
    }

    private static List<string> Validate(object options)
    {
        // The attributes first, then the cross-checks (Validator stops before IValidatableObject when attributes fail).
        var context = new ValidationContext(options);
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, context, results, validateAllProperties: true);
        if (results.Count > 0 && options is IValidatableObject validatable) results.AddRange(validatable.Validate(context));
        return results.Select(r => r.ErrorMessage ?? "").ToList();
    }
}
