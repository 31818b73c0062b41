using System.Text.Encodings.Web;
using System.Text.Json;
using EquipmentIoT.EdgeAgent.Privacy;
using EquipmentIoT.Protocols.Telemetry.Model;
using static EquipmentIoT.EdgeAgent.Tests.Privacy.PhiTestData;

namespace EquipmentIoT.EdgeAgent.Tests.Privacy;

/// <summary>
/// Random exam events (fixed seed) seeded with known PHI, in PHI attributes, in attributes the default
/// deny must catch, and copied into the free text of the same event: after scrubbing, no PHI value occurs
/// anywhere in the event's JSON (written with relaxed escaping so that "张三" stays "张三" and a match
/// cannot hide behind \u escapes).
/// </summary>
public sealed class PhiScrubberPropertyTests
{
    private const int Seed = 20250301;
    private const int Events = 2000;

    // Names as DICOM PN values (Latin, ideographic and phonetic groups) and identifiers that cannot occur
    // by chance in a hex or decimal pseudonym (they hold letters outside a-f).
    private static readonly string[] Names =
    [
        "ZHANG^SAN", "ZHANG^SAN=张^三=ㄓㄤ^ㄙㄢ", "王^小明", "欧阳^娜娜", "MÜLLER^JÖRG", "O'BRIEN^SEAN^P^DR", "NGUYEN^THI^HUONG", "李四",
        "GARCÍA LÓPEZ^MARÍA", "SMITH^JOHN^^MR",
    ];

    private static readonly string[] Ids = ["MRN884213", "HIS-00042-X", "P2025QZ7", "身份证110101", "MRN-ÄÖ-9"];
    private static readonly string[] Dates = ["19800101", "19550615", "20011231"];
    private static readonly string[] Phones = ["+86 10 8888 7777", "(555) 867-5309"];

    private static readonly string[] NameKeys =
        ["PatientName", "OtherPatientNames", "PatientBirthName", "PatientMotherBirthName", "ReferringPhysicianName", "OperatorsName",
         "PerformingPhysicianName", "NameOfPhysiciansReadingStudy", "RequestingPhysician", "ResponsiblePerson", "ScheduledPerformingPhysicianName"];

    private static readonly string[] UnknownPersonalKeys = ["NurseName", "PatientNickname", "x-vendor-patient-label", "EscortPerson", "BirthPlace"];
    private static readonly string[] FreeTextKeys = ["PerformedProcedureStepDescription", "StudyDescription", "ProtocolName", "Comments", "x-note"];

    [Fact]
    public void Scrub_RandomEventsSeededWithPhi_NoPhiValueLeftInTheirJson()
    {
        var random = new Random(Seed);
        var scrubber = Scrubber();
        var checkedValues = 0;
        for (var n = 0; n < Events; n++)
        {
            var (e, phi) = RandomEvent(random, n);

            var json = Serialise(scrubber.Scrub(e));

            foreach (var value in phi)
            {
                foreach (var needle in Forms(value))
                {
                    checkedValues++;
                    Assert.False(json.Contains(needle, StringComparison.OrdinalIgnoreCase),
                        $"event {n}: '{needle}' survived scrubbing in {json}");
                }
            }
        }

        Assert.True(checkedValues > Events, "the generator produced PHI to look for");
    }

    [Fact]
    public void Scrub_RandomEventsWithoutPhi_UntouchedAndSameInstance()
    {
        var random = new Random(Seed + 1);
        var scrubber = Scrubber();
        for (var n = 0; n < 500; n++)
        {
            var data = new Dictionary<string, EventValue>();
            for (var i = random.Next(0, 8); i > 0; i--)
                data[Pick(random, ["Modality", "KVP", "ScanSeconds", "PatientAge", "PatientSex", "StationName", "SeriesDescription"])] =
                    random.Next(2) == 0 ? EventValue.FromNumber(random.Next(1000)) : EventValue.FromString(Pick(random, ["CT", "HEAD", "045Y", "F"]));
            var e = new TelemetryEvent("ct-01", EventTypes.ExamCompleted, At, data);

            Assert.Same(e, scrubber.Scrub(e));
        }
    }

    private static (TelemetryEvent Event, List<string> Phi) RandomEvent(Random random, int n)
    {
        var data = new Dictionary<string, EventValue> { ["Modality"] = Pick(random, ["CT", "MR", "PT"]) };
        var phi = new List<string>();

        void Put(string key, string value)
        {
            if (!data.TryAdd(key, value)) return; // a value overwritten here would no longer be in the event
            phi.Add(value);
        }

        for (var i = random.Next(1, 4); i > 0; i--) Put(Pick(random, NameKeys), Pick(random, Names));
        if (random.Next(2) == 0) Put("PatientID", Pick(random, Ids));
        if (random.Next(3) == 0) Put("OtherPatientIDs", string.Join('\\', Ids.OrderBy(_ => random.Next()).Take(random.Next(1, 4))));
        if (random.Next(2) == 0) Put("AccessionNumber", "ACCQ" + random.Next(100_000, 999_999));
        if (random.Next(2) == 0) Put("PatientBirthDate", Pick(random, Dates));
        if (random.Next(3) == 0) Put("PatientTelephoneNumbers", Pick(random, Phones));
        if (random.Next(3) == 0) Put(Pick(random, UnknownPersonalKeys), Pick(random, Names));
        if (random.Next(2) == 0) data["PatientAge"] = "0" + random.Next(10, 99) + "Y";
        if (random.Next(2) == 0) data["ScanSeconds"] = random.Next(1, 600);

        // Free text that quotes this event's PHI, in the forms people write it.
        for (var i = random.Next(0, 3); i > 0; i--)
        {
            var quoted = Forms(Pick(random, phi)).ToArray();
            data[Pick(random, FreeTextKeys)] = $"{Pick(random, ["CT head for ", "复查 ", "", "MR knee, pt "])}{Pick(random, quoted)}{Pick(random, ["", " (urgent)", "，加急"])}";
        }

        // Multi-valued identifiers are PHI value by value.
        var values = phi.SelectMany(v => v.Split('\\')).Where(v => v.Length > 0).ToList();
        return (new TelemetryEvent($"dev-{n % 7}", EventTypes.ExamStarted, At, data), values);
    }

    /// <summary>The value and, for person names, the forms text would quote it in.</summary>
    private static IEnumerable<string> Forms(string value)
    {
        yield return value;
        if (!value.Contains('^', StringComparison.Ordinal) && !value.Contains('=', StringComparison.Ordinal)) yield break;
        foreach (var group in value.Split('='))
        {
            var parts = group.Split('^', StringSplitOptions.RemoveEmptyEntries);
            yield return group;
            yield return string.Join(' ', parts);
            yield return string.Concat(parts);
        }
    }

    private static string Serialise(TelemetryEvent e)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("device", e.Device);
            writer.WriteString("type", e.Type);
            writer.WriteString("ts", e.Timestamp.ToString());
            writer.WriteStartObject("data");
            foreach (var (key, value) in e.Data)
            {
                switch (value.Kind)
                {
                    case EventValueKind.Text: writer.WriteString(key, value.AsString); break;
                    case EventValueKind.Number: writer.WriteNumber(key, value.AsNumber); break;
                    default: writer.WriteBoolean(key, value.AsBoolean); break;
                }
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
