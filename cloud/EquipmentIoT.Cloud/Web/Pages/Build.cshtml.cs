using System.Security.Claims;
using System.Text.Json;
using EquipmentIoT.Cloud.Api;
using EquipmentIoT.Cloud.Api.Auth;
using EquipmentIoT.Cloud.Builds;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Web.Charts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EquipmentIoT.Cloud.Web.Pages;

/// <summary>
/// One build record: its per-layer process data as SVG charts (mean with min–max per layer, the process window dashed, excursion
/// layers marked), the excursions, timeline, operator entries and parts; forms to log a signed entry (operators and up) and to
/// release and seal (managers); the ledger's verification, the JSON export and the printable report.
/// </summary>
public sealed class BuildModel(IBuildStore store, BuildService builds, BuildVerifier verifier, BuildSummaries summaries, IRegistryStore registry,
    IOptions<BuildOptions> options, IClock clock) : UiPageModel
{
    private static readonly JsonSerializerOptions Json = CreateJson();

    /// <summary>The kinds an operator logs from this page (release has its own form; parts their own API).</summary>
    public static readonly string[] LogKinds = [.. BuildEntryKinds.Required.Keys.Where(k => k is not BuildEntryKinds.Release and not BuildEntryKinds.Part)];

    public BuildDetail? Detail { get; private set; }

    /// <summary>The kind whose form is open (?kind=).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    /// <summary>The ledger's verification, when asked for (?verify=1).</summary>
    public BuildVerification? Verification { get; private set; }

    /// <summary>Per signal: its chart points by layer and its window.</summary>
    public IReadOnlyList<(string Signal, string? Unit, IReadOnlyList<ChartPoint> Points, double? Min, double? Max)> Charts { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, bool verify, CancellationToken cancellationToken)
    {
        Detail = await store.GetAsync(id, cancellationToken);
        if (Detail is null) return NotFound();
        if (await registry.GetDeviceAsync(Detail.Record.Device, cancellationToken) is { } device) Ui.KnowDevices([device]);
        if (verify) Verification = await verifier.VerifyAsync(cancellationToken);
        if (Kind is not null && !LogKinds.Contains(Kind)) Kind = null;
        Charts = [.. Detail.Layers
            .SelectMany(l => l.Signals.Select(s => (l.Layer, s)))
            .GroupBy(x => x.s.Signal, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.First().s.Unit,
                (IReadOnlyList<ChartPoint>)[.. g.OrderBy(x => x.Layer).Select(x => new ChartPoint(x.Layer, x.s.Mean, x.s.Min, x.s.Max, x.s.IsExcursion))],
                g.Select(x => x.s.WindowMin).FirstOrDefault(v => v is not null), g.Select(x => x.s.WindowMax).FirstOrDefault(v => v is not null)))];
        return Page();
    }

    /// <summary>Logs a signed operator entry of <paramref name="kind"/> with the required fields and any extra name=value lines.</summary>
    public async Task<IActionResult> OnPostEntryAsync(long id, string kind, Dictionary<string, string>? f, string? extra, CancellationToken cancellationToken)
    {
        if (!Can(ApiPolicies.LogBuilds)) return Denied();
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in f ?? []) if (!string.IsNullOrWhiteSpace(value)) fields[key] = value.Trim();
        foreach (var line in (extra ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) return Back($"{Ui.T("common.refused")}'{line}': name=value", true, new { id, kind });
            fields[line[..eq].Trim()] = line[(eq + 1)..].Trim();
        }

        try
        {
            await builds.AddEntryAsync(id, kind, fields, null, ActorOf(User), cancellationToken);
            return Back(Ui.T("common.done"), false, new { id });
        }
        catch (BuildException e)
        {
            return Back(Ui.T("common.refused") + e.Message, true, new { id, kind });
        }
    }

    /// <summary>Records the release decision and seals the record (managers, admins).</summary>
    public async Task<IActionResult> OnPostReleaseAsync(long id, string decision, string? note, CancellationToken cancellationToken)
    {
        if (!Can(ApiPolicies.ReleaseBuilds)) return Denied();
        var fields = new Dictionary<string, string>(StringComparer.Ordinal) { ["decision"] = decision ?? "" };
        if (!string.IsNullOrWhiteSpace(note)) fields["note"] = note.Trim();
        try
        {
            await builds.ReleaseAsync(id, fields, ActorOf(User), cancellationToken);
            return Back(Ui.T("common.done"), false, new { id });
        }
        catch (BuildException e)
        {
            return Back(Ui.T("common.refused") + e.Message, true, new { id });
        }
    }

    /// <summary>The record as JSON for an auditor (what the API's export gives).</summary>
    public async Task<IActionResult> OnGetExportAsync(long id, CancellationToken cancellationToken) =>
        await ExportAsync(id, cancellationToken) is { } export
            ? File(JsonSerializer.SerializeToUtf8Bytes(export, Json), "application/json", $"build-{export.Build.Record.BatchNumber}.json")
            : NotFound();

    /// <summary>The record as a printable HTML page in the page's language.</summary>
    public async Task<IActionResult> OnGetReportAsync(long id, CancellationToken cancellationToken) =>
        await ExportAsync(id, cancellationToken) is { } export
            ? Content(BuildReport.Render(export, Ui.Lang, DateTimeZoneProviders.Tzdb[options.Value.TimeZone]), "text/html; charset=utf-8")
            : NotFound();

    private async Task<BuildExport?> ExportAsync(long id, CancellationToken cancellationToken)
    {
        var detail = await store.GetAsync(id, cancellationToken);
        if (detail is null) return null;
        var verification = await verifier.VerifyAsync(cancellationToken);
        return BuildExport.Create(detail, summaries.MaterialOf(detail), verification, clock.GetCurrentInstant(), Actor);
    }

    /// <summary>Who signs an entry: the user and their most privileged role.</summary>
    public static BuildActor ActorOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var role = user.FindAll(ClaimTypes.Role).Select(c => Enum.TryParse<Role>(c.Value, true, out var r) ? r : Role.Auditor).DefaultIfEmpty(Role.Auditor).Max();
        return new BuildActor(user.Identity?.Name ?? throw new InvalidOperationException("a signed-in user has a name"), ApiPolicies.ClaimOf(role));
    }

    private static JsonSerializerOptions CreateJson()
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true };
        CloudApi.Configure(json);
        return json;
    }
}
