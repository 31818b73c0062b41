using System.Text.Json;

namespace EquipmentIoT.IntegrationTests.CloudProcess;

/// <summary>What the tests read from the cloud's HTTP API, as JSON.</summary>
internal static class CloudApiReads
{
    public static async Task<JsonElement> GetJsonAsync(this HttpClient http, string path, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"GET {path}: {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>The integrity figures of one agent (GET /api/v1/integrity), or default when the cloud has none yet.</summary>
    public static async Task<Integrity> IntegrityAsync(this HttpClient http, string agent, CancellationToken cancellationToken = default)
    {
        foreach (var a in (await http.GetJsonAsync("/api/v1/integrity", cancellationToken)).EnumerateArray())
        {
            if (a.GetProperty("agent").GetString() != agent) continue;
            return new Integrity(a.GetProperty("stored").GetInt64(), a.GetProperty("duplicates").GetInt64(), a.GetProperty("quarantined").GetInt64(),
                a.GetProperty("gapsOpen").GetInt64());
        }
        return default;
    }

    /// <summary>Points stored per metric of a device, from GET /api/v1/devices/{id} (its series list).</summary>
    public static async Task<long> StoredPointsAsync(this HttpClient http, string device, CancellationToken cancellationToken = default) =>
        (await http.GetJsonAsync($"/api/v1/devices/{device}", cancellationToken)).GetProperty("series").EnumerateArray()
            .Sum(s => s.GetProperty("points").GetInt64());

    internal readonly record struct Integrity(long Stored, long Duplicates, long Quarantined, long GapsOpen);
}
