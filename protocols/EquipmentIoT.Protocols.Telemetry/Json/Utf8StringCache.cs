namespace EquipmentIoT.Protocols.Telemetry.Json;

/// <summary>
/// Turns short ASCII byte strings into strings, handing back the same instance for repeats: a batch
/// of 200 points names a few devices and metrics 200 times. Bounded, so hostile input that names a
/// new device on every point only stops getting cache hits.
/// </summary>
internal sealed class Utf8StringCache
{
    private const int Capacity = 32;
    private readonly byte[][] _keys = new byte[Capacity][];
    private readonly string[] _values = new string[Capacity];
    private int _count;
    private int _last;

    /// <summary>The string for <paramref name="ascii"/>, which the caller has checked is ASCII.</summary>
    public string Get(ReadOnlySpan<byte> ascii)
    {
        if (_count > 0 && ascii.SequenceEqual(_keys[_last])) return _values[_last];
        for (var i = 0; i < _count; i++)
        {
            if (ascii.SequenceEqual(_keys[i]))
            {
                _last = i;
                return _values[i];
            }
        }
        var value = System.Text.Encoding.ASCII.GetString(ascii);
        if (_count < Capacity)
        {
            _keys[_count] = ascii.ToArray();
            _values[_count] = value;
            _last = _count++;
        }
        return value;
    }
}
