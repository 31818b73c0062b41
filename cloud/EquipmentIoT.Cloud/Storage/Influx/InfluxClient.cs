using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.Cloud.Storage.Influx;

/// <summary>
/// Our client for the InfluxDB v1 HTTP API: <c>POST /write</c> with line protocol bodies (millisecond precision,
/// optionally gzip) and <c>/query</c> with InfluxQL and bound <c>$name</c> parameters (GET for reads, POST for
/// statements that change something). Transient failures (connection errors, timeouts, 5xx) are retried by
/// <see cref="InfluxRetryPolicy"/>; answers that refuse the request (4xx, statement errors) become an
/// <see cref="InfluxRequestException"/> naming InfluxDB's message. Thread-safe.
/// </summary>
public sealed class InfluxClient : IDisposable
{
    private const string JsonMediaType = "application/json";

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly InfluxOptions _options;
    private readonly InfluxCredentials _credentials;
    private readonly InfluxRetryPolicy _retry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a client on <paramref name="http"/> (its BaseAddress is ignored; <see cref="InfluxOptions.Url"/> is used).</summary>
    public InfluxClient(HttpClient http, InfluxOptions options, InfluxCredentials credentials, ILogger<InfluxClient> logger,
        TimeProvider? time = null, InfluxRetryPolicy? retry = null, bool ownsHttp = false)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(logger);
        if (options.Validate() is { } error) throw new ArgumentException(error, nameof(options));
        _http = http;
        _ownsHttp = ownsHttp;
        _options = options;
        _credentials = credentials;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _retry = retry ?? InfluxRetryPolicy.From(options);
    }

    /// <summary>A client with its own pooled HttpClient and the credentials of the options' secret files.</summary>
    public static InfluxClient Create(InfluxOptions options, ILogger<InfluxClient> logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
#pragma warning disable CA2000 // the HttpClient owns the handler and the client owns the HttpClient (ownsHttp)
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 64,
        };
        var http = new HttpClient(handler, disposeHandler: true) { Timeout = options.Timeout };
#pragma warning restore CA2000
        return new InfluxClient(http, options, InfluxCredentials.FromOptions(options), logger, time, ownsHttp: true);
    }

    public InfluxOptions Options => _options;

    /// <summary>The credentials in use (their description only is ever shown).</summary>
    public InfluxCredentials Credentials => _credentials;

    /// <summary>
    /// Sends one body of line protocol (timestamps in milliseconds) to <paramref name="retentionPolicy"/>.
    /// Points older than that policy's duration are dropped by InfluxDB; that is logged, not thrown.
    /// </summary>
    /// <exception cref="InfluxRequestException">InfluxDB refused the body (field type conflict, bad line, auth).</exception>
    /// <exception cref="InfluxCommunicationException">Unreachable or failing after every retry.</exception>
    public async Task WriteAsync(ReadOnlyMemory<byte> lineProtocol, string? retentionPolicy, CancellationToken cancellationToken)
    {
        var query = new StringBuilder("write?db=").Append(Uri.EscapeDataString(_options.Database)).Append("&precision=ms");
        if (!string.IsNullOrEmpty(retentionPolicy)) query.Append("&rp=").Append(Uri.EscapeDataString(retentionPolicy));
        var uri = new Uri(_options.Url, query.ToString());
        var body = _options.Gzip ? Compress(lineProtocol) : lineProtocol;
        try
        {
            await SendAsync("write", () =>
            {
                var content = new ReadOnlyMemoryContent(body);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
                if (_options.Gzip) content.Headers.ContentEncoding.Add("gzip");
                return new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
            }, static _ => (object?)null, [], cancellationToken).ConfigureAwait(false);
        }
        catch (InfluxRequestException ex) when (ex.StatusCode == 400 && ex.ServerError?.Contains("points beyond retention policy", StringComparison.Ordinal) == true)
        {
            // Points older than the policy's duration are gone by design; failing the batch would stall ingestion for ever.
            InfluxLog.BeyondRetention(_logger, _options.Database, ex.ServerError);
        }
    }

    /// <summary>
    /// Runs InfluxQL statements (joined with ';') with bound parameters; times in the answer are Unix milliseconds.
    /// <paramref name="write"/> sends a POST (DDL, SELECT INTO), otherwise a GET.
    /// </summary>
    /// <exception cref="InfluxRequestException">The query or one statement failed; the message names InfluxDB's error and the statement.</exception>
    /// <exception cref="InfluxCommunicationException">Unreachable or failing after every retry.</exception>
    public Task<InfluxResponse> QueryAsync(IReadOnlyList<string> statements, IReadOnlyDictionary<string, object?>? parameters, bool write,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statements);
        if (statements.Count == 0) throw new ArgumentException("no statements", nameof(statements));
        var form = new List<KeyValuePair<string, string>>
        {
            new("db", _options.Database),
            new("epoch", "ms"),
            new("q", string.Join(";\n", statements)),
        };
        if (parameters is { Count: > 0 }) form.Add(new("params", JsonSerializer.Serialize(parameters)));
        var encoded = string.Join('&', form.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        return SendAsync(write ? "query (POST)" : "query", () => write
            ? new HttpRequestMessage(HttpMethod.Post, new Uri(_options.Url, "query"))
            {
                Content = new StringContent(encoded, Encoding.UTF8, "application/x-www-form-urlencoded"),
            }
            : new HttpRequestMessage(HttpMethod.Get, new Uri(_options.Url, "query?" + encoded)),
            static json => InfluxResponse.Parse(json.Memory, json.Statements), statements, cancellationToken);
    }

    /// <summary>Runs statements and disposes the answer (DDL and SELECT INTO whose rows are not needed).</summary>
    public async Task ExecuteAsync(IReadOnlyList<string> statements, IReadOnlyDictionary<string, object?>? parameters, CancellationToken cancellationToken)
    {
        using var _ = await QueryAsync(statements, parameters, write: true, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    private readonly record struct Answer(ReadOnlyMemory<byte> Memory, IReadOnlyList<string> Statements);

    private async Task<T> SendAsync<T>(string operation, Func<HttpRequestMessage> request, Func<Answer, T> parse, IReadOnlyList<string> statements,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            string reason;
            Exception? cause = null;
            try
            {
                using var message = request();
                _credentials.Apply(message);
                message.Headers.Accept.ParseAdd(JsonMediaType);
                using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
                var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode) return parse(new Answer(bytes, statements));
                var serverError = ErrorText(bytes);
                if (status < 500)
                {
                    var what = status is 401 or 403 ? $"refused the credentials ({_credentials.Description})" : "refused the request";
                    throw new InfluxRequestException($"InfluxDB {operation} at {_options.Url} {what}: HTTP {status}: {serverError}", status, serverError);
                }
                reason = $"HTTP {status}: {serverError}";
            }
            catch (HttpRequestException ex)
            {
                reason = ex.Message;
                cause = ex;
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                reason = $"no answer within {_options.Timeout}";
                cause = ex;
            }

            if (!_retry.ShouldRetry(attempt, out var delay))
            {
                var message = $"InfluxDB {operation} at {_options.Url} failed after {attempt} attempt(s): {reason}";
                throw cause is null ? new InfluxCommunicationException(message) : new InfluxCommunicationException(message, cause);
            }
            InfluxLog.Retrying(_logger, operation, _options.Url, attempt, reason, delay);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>InfluxDB's <c>{"error": "..."}</c> text, or the raw body (shortened) when it is not that.</summary>
    private static string ErrorText(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error))
                return error.GetString() ?? string.Empty;
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's page): the text itself follows.
        }
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300)).Trim();
        return text.Length == 0 ? "(empty body)" : text;
    }

    private static byte[] Compress(ReadOnlyMemory<byte> body)
    {
        using var output = new MemoryStream(body.Length / 4 + 64);
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(body.Span);
        return output.ToArray();
    }

    internal static string Milliseconds(long value) => value.ToString(CultureInfo.InvariantCulture) + "ms";
}
