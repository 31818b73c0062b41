using System.Text.Json;

namespace EquipmentIoT.Cloud.Storage.Influx;

/// <summary>
/// The JSON answer of <c>/query</c>: one result per statement, each with series (name, tags, columns, rows).
/// Views over the parsed document, so large answers are not copied; dispose to return the document's buffers.
/// A statement's error has already become an <see cref="InfluxRequestException"/> when this exists.
/// </summary>
public sealed class InfluxResponse : IDisposable
{
    private readonly JsonDocument _document;

    internal InfluxResponse(JsonDocument document, IReadOnlyList<InfluxStatementResult> results)
    {
        _document = document;
        Results = results;
    }

    /// <summary>The results, by statement id.</summary>
    public IReadOnlyList<InfluxStatementResult> Results { get; }

    /// <summary>Parses an answer; throws naming the first failed statement (and its text, when given).</summary>
    /// <exception cref="InfluxRequestException">The answer or one of its statements carries an error.</exception>
    public static InfluxResponse Parse(ReadOnlyMemory<byte> json, IReadOnlyList<string> statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var document = JsonDocument.Parse(json);
        try
        {
            var root = document.RootElement;
            if (root.TryGetProperty("error", out var topError))
                throw new InfluxRequestException($"InfluxDB refused the query: {topError.GetString()} (query: {Shorten(string.Join("; ", statements))})", 0, topError.GetString());
            var results = new List<InfluxStatementResult>();
            if (root.TryGetProperty("results", out var array))
            {
                foreach (var result in array.EnumerateArray())
                {
                    var id = result.TryGetProperty("statement_id", out var sid) ? sid.GetInt32() : results.Count;
                    if (result.TryGetProperty("error", out var error))
                    {
                        var text = id < statements.Count ? statements[id] : "?";
                        throw new InfluxRequestException($"InfluxDB statement {id} failed: {error.GetString()} (statement: {Shorten(text)})", 0, error.GetString());
                    }
                    var series = new List<InfluxSeries>();
                    if (result.TryGetProperty("series", out var seriesArray))
                    {
                        foreach (var s in seriesArray.EnumerateArray()) series.Add(new InfluxSeries(s));
                    }
                    results.Add(new InfluxStatementResult(id, series));
                }
            }
            return new InfluxResponse(document, results);
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    public void Dispose() => _document.Dispose();

    private static string Shorten(string text) => text.Length <= 300 ? text : string.Concat(text.AsSpan(0, 300), "…");
}

/// <summary>The series of one statement.</summary>
public sealed record InfluxStatementResult(int StatementId, IReadOnlyList<InfluxSeries> Series);

/// <summary>One series of a result: its name, GROUP BY tags, columns and rows (JSON values).</summary>
public sealed class InfluxSeries
{
    private readonly JsonElement _values;
    private readonly string[] _columns;

    internal InfluxSeries(JsonElement series)
    {
        Name = series.TryGetProperty("name", out var name) ? name.GetString() ?? string.Empty : string.Empty;
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (series.TryGetProperty("tags", out var tagObject))
        {
            foreach (var tag in tagObject.EnumerateObject()) tags[tag.Name] = tag.Value.GetString() ?? string.Empty;
        }
        Tags = tags;
        _columns = series.TryGetProperty("columns", out var columns) ? [.. columns.EnumerateArray().Select(c => c.GetString() ?? string.Empty)] : [];
        _values = series.TryGetProperty("values", out var values) ? values : default;
        RowCount = _values.ValueKind == JsonValueKind.Array ? _values.GetArrayLength() : 0;
    }

    public string Name { get; }

    /// <summary>The GROUP BY tag values ("" for a series without the tag).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; }

    public IReadOnlyList<string> Columns => _columns;

    public int RowCount { get; }

    /// <summary>The index of a column.</summary>
    /// <exception cref="InvalidOperationException">The series has no such column.</exception>
    public int Column(string name)
    {
        var index = Array.IndexOf(_columns, name);
        return index >= 0 ? index : throw new InvalidOperationException($"InfluxDB series '{Name}' has no column '{name}' (has {string.Join(", ", _columns)})");
    }

    /// <summary>The rows, each an array of JSON values in column order.</summary>
    public IEnumerable<InfluxRow> Rows()
    {
        if (RowCount == 0) yield break;
        foreach (var row in _values.EnumerateArray()) yield return new InfluxRow(row);
    }
}

/// <summary>One row of a series.</summary>
public readonly struct InfluxRow
{
    private readonly JsonElement _row;

    internal InfluxRow(JsonElement row) => _row = row;

    public bool IsNull(int column) => _row[column].ValueKind == JsonValueKind.Null;

    public double GetDouble(int column) => _row[column].GetDouble();

    /// <summary>An integer column; a float holding a whole number (as JSON may carry it) is accepted.</summary>
    public long GetInt64(int column)
    {
        var value = _row[column];
        return value.TryGetInt64(out var n) ? n : checked((long)value.GetDouble());
    }

    public string? GetString(int column) => _row[column].ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => _row[column].GetString(),
        _ => _row[column].GetRawText(),
    };

    public override string ToString() => _row.GetRawText();
}
