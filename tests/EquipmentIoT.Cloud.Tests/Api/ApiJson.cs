using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EquipmentIoT.Cloud.Tests.Api;

/// <summary>Small helpers to read API answers as JSON.</summary>
internal static class ApiJson
{
    public static Uri U(string path) => new(path, UriKind.Relative);

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(U(path));
        return await ReadAsync(response, expected);
    }

    public static async Task<JsonElement> SendJsonAsync(this HttpClient client, HttpMethod method, string path, object body,
        HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, U(path)) { Content = JsonContent.Create(body, options: ApiHost.Json) };
        using var response = await client.SendAsync(request);
        return await ReadAsync(response, expected);
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
