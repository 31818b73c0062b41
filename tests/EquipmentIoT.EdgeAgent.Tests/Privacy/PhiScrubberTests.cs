using System.Security.Cryptography;
using System.Text;
using EquipmentIoT.EdgeAgent.Privacy;
using EquipmentIoT.Protocols.Telemetry.Model;
using Microsoft.Extensions.Logging;
using static EquipmentIoT.EdgeAgent.Tests.Privacy.PhiTestData;

namespace EquipmentIoT.EdgeAgent.Tests.Privacy;

public sealed class PhiScrubberTests
{
    [Fact]
    public void Scrub_NamesBirthAndContact_Removed()
    {
        var scrubbed = Scrubber().Scrub(Exam(
            ("PatientName", "ZHANG^SAN"), ("OtherPatientNames", "CHANG^SAN"), ("PatientBirthName", "LI^SI"),
            ("PatientMotherBirthName", "WANG^FANG"), ("PatientBirthDate", "19800101"), ("PatientBirthTime", "083000"),
            ("PatientAddress", "1 Main St"), ("PatientTelephoneNumbers", "+86 10 1234 5678"), ("ResponsiblePerson", "ZHANG^WEI"),
            ("ReferringPhysicianName", "DR^WHO"), ("NameOfPhysiciansReadingStudy", "HOUSE^G"), ("PerformingPhysicianName", "GREY^M"),
            ("RequestingPhysician", "KILDARE^J"), ("OperatorsName", "TECH^ANNA"), ("Modality", "CT")));

        Assert.Equal(["Modality"], scrubbed.Data.Keys);
        Assert.Equal("CT", scrubbed.Text("Modality"));
    }

    [Fact]
    public void Scrub_Identifiers_ReplacedByDocumentedKeyedHash()
    {
        var secret = Secret();
        var scrubbed = Scrubber(secret: secret).Scrub(Exam(
            ("PatientID", "MRN884213"), ("AccessionNumber", "ACC-2025-0001"), ("StudyInstanceUID", "1.2.840.113619.2.55.3.1")));

        Assert.Equal("p-" + ExpectedHex(secret, "patient-id", "MRN884213"), scrubbed.Text("PatientID"));
        Assert.Equal("a-" + ExpectedHex(secret, "accession", "ACC-2025-0001"), scrubbed.Text("AccessionNumber"));
        var uid = scrubbed.Text("StudyInstanceUID");
        Assert.Matches("^2\\.25\\.[1-9][0-9]{0,38}$", uid);
        Assert.True(uid.Length <= 64, "a UID is at most 64 characters (PS3.5 9.1)");
    }

    [Fact]
    public void Scrub_SamePatientAcrossRestartsAndAgentsOfASite_SamePseudonym()
    {
        var first = Scrubber(secret: Secret()).Scrub(Exam(("PatientID", "MRN884213")));
        var secondAgent = Scrubber(secret: Secret()).Scrub(Exam(("PatientID", "MRN884213 "), ("Modality", "MR")));

        Assert.Equal(first.Text("PatientID"), secondAgent.Text("PatientID"));
    }

    [Fact]
    public void Scrub_DifferentSiteSecret_DifferentPseudonym()
    {
        var siteA = Scrubber(secret: Secret(0x11)).Scrub(Exam(("PatientID", "MRN884213")));
        var siteB = Scrubber(secret: Secret(0x22)).Scrub(Exam(("PatientID", "MRN884213")));

        Assert.NotEqual(siteA.Text("PatientID"), siteB.Text("PatientID"));
    }

    [Fact]
    public void Scrub_SameTextAsPatientIdAndAccession_DomainsKeepThemApart()
    {
        var scrubbed = Scrubber().Scrub(Exam(("PatientID", "12345678"), ("AccessionNumber", "12345678")));

        Assert.NotEqual(scrubbed.Text("PatientID")[2..], scrubbed.Text("AccessionNumber")[2..]);
    }

    [Fact]
    public void Scrub_OtherPatientIDs_HashedPerValueLikePatientId()
    {
        var scrubber = Scrubber();
        var scrubbed = scrubber.Scrub(Exam(("PatientID", "MRN884213"), ("OtherPatientIDs", "MRN884213\\ HIS-77 \\")));

        var others = scrubbed.Text("OtherPatientIDs").Split('\\');
        Assert.Equal(3, others.Length);
        Assert.Equal(scrubbed.Text("PatientID"), others[0]);
        Assert.Equal(scrubber.Pseudonymise(PhiPolicy.PatientIdDomain, "HIS-77"), others[1]);
        Assert.Equal("", others[2]);
    }

    [Fact]
    public void Scrub_NumericPatientId_HashedAsItsText()
    {
        var scrubber = Scrubber();

        var scrubbed = scrubber.Scrub(Exam(("PatientID", 884213L)));

        Assert.Equal(scrubber.Pseudonymise(PhiPolicy.PatientIdDomain, "884213"), scrubbed.Text("PatientID"));
    }

    [Fact]
    public void Scrub_UnknownKeyThatLooksPersonal_RemovedByDefaultDenyAndCounted()
    {
        var scrubber = Scrubber();

        var scrubbed = scrubber.Scrub(Exam(
            ("PatientFavouriteColour", "blue"), ("NurseName", "FLORENCE^N"), ("EmergencyContactTelephone", "110"),
            ("x-vendor-operator", "op7"), ("KVP", 120.0), ("Modality", "CT"), ("ScanSeconds", 12.5)));

        Assert.Equal(["KVP", "Modality", "ScanSeconds"], scrubbed.Data.Keys.Order(StringComparer.Ordinal));
        var stats = scrubber.GetStatistics();
        Assert.Equal(1, stats.Keys["PatientFavouriteColour"].DefaultDenied);
        Assert.Equal(1, stats.Keys["NurseName"].DefaultDenied);
        Assert.Equal(1, stats.Keys["x-vendor-operator"].DefaultDenied);
    }

    [Fact]
    public void Scrub_AllowList_KeepsAgeSexPositionAndStation()
    {
        var original = Exam(("PatientAge", "045Y"), ("PatientSex", "F"), ("PatientPosition", "HFS"), ("StationName", "CT01"),
            ("PatientWeight", 70.5));

        var scrubbed = Scrubber().Scrub(original);

        Assert.Equal("045Y", scrubbed.Text("PatientAge"));
        Assert.Equal("F", scrubbed.Text("PatientSex"));
        Assert.Equal("HFS", scrubbed.Text("PatientPosition"));
        Assert.Equal("CT01", scrubbed.Text("StationName"));
        Assert.False(scrubbed.Data.ContainsKey("PatientWeight"), "weight is removed unless the site allows it");
    }

    [Fact]
    public void FromOptions_SiteAllowsWeightAndRemovesAge_Honoured()
    {
        var policy = PhiPolicy.FromOptions(new PhiPolicyOptions { Allow = ["PatientWeight"], Remove = ["PatientAge"] });

        var scrubbed = Scrubber(policy).Scrub(Exam(("PatientAge", "045Y"), ("PatientWeight", 70.5), ("PatientSex", "F")));

        Assert.Equal(70.5, scrubbed.Data["PatientWeight"].AsNumber);
        Assert.False(scrubbed.Data.ContainsKey("PatientAge"));
        Assert.Equal("F", scrubbed.Text("PatientSex"));
    }

    [Fact]
    public void FromOptions_SitePseudonymisesAdmissionId_UsesItsDomain()
    {
        var policy = PhiPolicy.FromOptions(new PhiPolicyOptions { Pseudonymise = new() { ["AdmissionID"] = "admission" } });

        var scrubbed = Scrubber(policy).Scrub(Exam(("AdmissionID", "ADM-1")));

        Assert.StartsWith("admission-", scrubbed.Text("AdmissionID"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PatientName")]
    [InlineData("patientbirthdate")]
    [InlineData("PatientID")]
    [InlineData("OtherPatientIDs")]
    [InlineData("PatientAddress")]
    [InlineData("AccessionNumber")]
    public void FromOptions_SiteAllowsNamesDatesOrRawIds_Refused(string key)
    {
        var site = new PhiPolicyOptions { Allow = [key] };

        Assert.NotEmpty(PhiPolicy.Problems(site));
        Assert.Throws<ArgumentException>(() => PhiPolicy.FromOptions(site));
    }

    [Fact]
    public void FromOptions_Contradictions_AllReported()
    {
        var site = new PhiPolicyOptions
        {
            Remove = ["StationName", "X"],
            Allow = ["StationName"],
            Pseudonymise = new() { ["X"] = "x", ["Y"] = "Bad Domain" },
            PersonalFragments = ["ab"],
        };

        var problems = PhiPolicy.Problems(site);

        Assert.Equal(4, problems.Count);
    }

    [Fact]
    public void Scrub_RemovedValueInsideKeptText_Masked()
    {
        var scrubbed = Scrubber().Scrub(Exam(
            ("PatientName", "ZHANG^SAN"), ("PatientID", "MRN884213"), ("PatientBirthDate", "19800101"),
            ("PerformedProcedureStepDescription", "CT head for ZHANG^SAN"),
            ("StudyDescription", "Zhang San, born 19800101"),
            ("ProtocolName", "HEAD mrn884213 ZHANG"),
            ("SeriesDescription", "Axial 5mm")));

        Assert.Equal("CT head for [removed]", scrubbed.Text("PerformedProcedureStepDescription"));
        Assert.Equal("[removed], born [removed]", scrubbed.Text("StudyDescription"));
        Assert.Equal("HEAD [removed] [removed]", scrubbed.Text("ProtocolName"));
        Assert.Equal("Axial 5mm", scrubbed.Text("SeriesDescription"));
    }

    [Fact]
    public void Scrub_ShortValues_NotMaskedEverywhere()
    {
        var scrubbed = Scrubber().Scrub(Exam(("PatientName", "LI^YU"), ("PerformedProcedureStepDescription", "CT LIVER, YUCCA study")));

        // "LI" and "YU" alone are too short to search for; "LI YU" / "LIYU" would have been masked.
        Assert.Equal("CT LIVER, YUCCA study", scrubbed.Text("PerformedProcedureStepDescription"));
    }

    [Fact]
    public void Scrub_ChineseNames_RemovedAndMaskedInText()
    {
        var scrubbed = Scrubber().Scrub(Exam(
            ("PatientName", "ZHANG^SAN=张^三=ㄓㄤ^ㄙㄢ"),
            ("OperatorsName", "李四"),
            ("PerformedProcedureStepDescription", "张三 头部CT平扫，技师：李四"),
            ("Comments", "患者 张三（ZHANG SAN）")));

        Assert.False(scrubbed.Data.ContainsKey("PatientName"));
        Assert.False(scrubbed.Data.ContainsKey("OperatorsName"));
        Assert.Equal("[removed] 头部CT平扫，技师：[removed]", scrubbed.Text("PerformedProcedureStepDescription"));
        Assert.Equal("患者 [removed]（[removed]）", scrubbed.Text("Comments"));
    }

    [Fact]
    public void Scrub_NameDecodedFromGb18030_RemovedAndMasked()
    {
        // What an MPPS with Specific Character Set GB18030 carries for 张三: D5 C5 C8 FD.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var name = Encoding.GetEncoding("GB18030").GetString([0xD5, 0xC5, 0xC8, 0xFD]);
        Assert.Equal("张三", name);

        var scrubbed = Scrubber().Scrub(Exam(("PatientName", name), ("PerformedProcedureStepDescription", "胸部CT " + name)));

        Assert.False(scrubbed.Data.ContainsKey("PatientName"));
        Assert.Equal("胸部CT [removed]", scrubbed.Text("PerformedProcedureStepDescription"));
    }

    [Fact]
    public void Scrub_NothingPersonal_SameInstanceWithoutAllocating()
    {
        var scrubber = Scrubber();
        var e = Exam(("Modality", "CT"), ("PerformedStationAETitle", "CT01"), ("PerformedProcedureStepDescription", "CT head"),
            ("PatientAge", "045Y"), ("PatientSex", "M"), ("ScanSeconds", 12.5));
        Assert.Same(e, scrubber.Scrub(e)); // warm up

        var before = GC.GetAllocatedBytesForCurrentThread();
        TelemetryEvent? last = null;
        for (var i = 0; i < 1000; i++) last = scrubber.Scrub(e);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Same(e, last);
        Assert.Equal(0, allocated);
        Assert.Equal(1001, scrubber.GetStatistics().EventsUntouched);
    }

    [Fact]
    public void Scrub_EventWithoutData_SameInstance()
    {
        var e = new TelemetryEvent("ct-01", EventTypes.State, At);

        Assert.Same(e, Scrubber().Scrub(e));
    }

    [Fact]
    public void GetStatistics_CountsPerKeyButNeverValues()
    {
        var scrubber = Scrubber();
        scrubber.Scrub(Exam(("PatientName", "ZHANG^SAN"), ("PatientID", "MRN884213"), ("StudyDescription", "for ZHANG^SAN")));
        scrubber.Scrub(Exam(("PatientName", "LI^SI"), ("PatientID", "MRN1")));

        var stats = scrubber.GetStatistics();

        Assert.Equal(2, stats.EventsScrubbed);
        Assert.Equal(new PhiKeyCounts(2, 0, 0, 0), stats.Keys["PatientName"]);
        Assert.Equal(new PhiKeyCounts(0, 2, 0, 0), stats.Keys["PatientID"]);
        Assert.Equal(new PhiKeyCounts(0, 0, 0, 1), stats.Keys["StudyDescription"]);
        var text = string.Join(";", stats.Keys.Select(k => $"{k.Key}={k.Value}")) + stats;
        Assert.DoesNotContain("ZHANG", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("MRN", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Scrub_DefaultDeny_LogsTheKeyOnceAndNeverTheValue()
    {
        var logger = new ListLogger();
        var scrubber = new PhiScrubber(PhiPolicy.Default, Secret(), logger);

        scrubber.Scrub(Exam(("NurseName", "FLORENCE^NIGHTINGALE")));
        scrubber.Scrub(Exam(("NurseName", "MARY^SEACOLE")));

        var line = Assert.Single(logger.Lines);
        Assert.Contains("NurseName", line, StringComparison.Ordinal);
        Assert.DoesNotContain("FLORENCE", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Scrub_ManyDistinctKeys_CountersStayBounded()
    {
        var scrubber = Scrubber();
        for (var i = 0; i < PhiScrubber.MaxCountedKeys + 50; i++) scrubber.Scrub(Exam(($"PatientThing{i}", "x")));

        var stats = scrubber.GetStatistics();

        Assert.True(stats.Keys.Count <= PhiScrubber.MaxCountedKeys + 1);
        Assert.Equal(50, stats.Keys["(other)"].DefaultDenied);
    }

    private static string ExpectedHex(PhiSiteSecret secret, string domain, string value)
    {
        // The pseudonym's definition, written out: HMAC-SHA256(secret, domain ‖ 0x00 ‖ value), first 16 bytes, lower-case hex.
        var key = Enumerable.Range(0, 32).Select(i => (byte)(0x5A ^ i)).ToArray();
        Assert.Equal(32, secret.Length);
        byte[] input = [.. Encoding.UTF8.GetBytes(domain), 0, .. Encoding.UTF8.GetBytes(value)];
        var mac = HMACSHA256.HashData(key, input);
        return Convert.ToHexStringLower(mac.AsSpan(0, 16));
    }

    private sealed class ListLogger : ILogger<PhiScrubber>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
