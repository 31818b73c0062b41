namespace EquipmentIoT.Cloud.Storage.Influx;

/// <summary>
/// InfluxDB answered and refused the request (a 4xx: bad line protocol, a field type conflict, a partial write,
/// bad credentials, an InfluxQL error). Never retried: sending the same request again gets the same answer.
/// The message names InfluxDB's own error text.
/// </summary>
public sealed class InfluxRequestException : Exception
{
    public InfluxRequestException() { }

    public InfluxRequestException(string message) : base(message) { }

    public InfluxRequestException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for an HTTP answer.</summary>
    public InfluxRequestException(string message, int statusCode, string? serverError) : base(message)
    {
        StatusCode = statusCode;
        ServerError = serverError;
    }

    /// <summary>The HTTP status (0 when the error was in a statement of a 200 answer).</summary>
    public int StatusCode { get; }

    /// <summary>InfluxDB's error text, as it sent it.</summary>
    public string? ServerError { get; }
}

/// <summary>
/// InfluxDB could not be reached or failed (connection error, timeout, 5xx) after every retry: transient, the
/// caller may try again later. Writes are safe to repeat (identical series and timestamps overwrite).
/// </summary>
public sealed class InfluxCommunicationException : Exception
{
    public InfluxCommunicationException() { }

    public InfluxCommunicationException(string message) : base(message) { }

    public InfluxCommunicationException(string message, Exception innerException) : base(message, innerException) { }
}
