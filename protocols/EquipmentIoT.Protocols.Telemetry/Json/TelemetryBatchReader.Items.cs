using System.Globalization;
using System.Text.Json;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Protocols.Telemetry.Json;

public static partial class TelemetryBatchReader
{
    private sealed partial class Parser
    {
        private string? ReadMetrics(ref Utf8JsonReader r, out List<MetricPoint>? metrics)
        {
            metrics = null;
            if (r.TokenType != JsonTokenType.StartArray) return "metrics: must be an array";
            var list = new List<MetricPoint>();
            _array = "metrics";
            _index = 0;
            while (true)
            {
                _member = null;
                r.Read();
                if (r.TokenType == JsonTokenType.EndArray) break;
                if (list.Count == options.MaxMetrics)
                    return string.Create(CultureInfo.InvariantCulture, $"metrics: more than {options.MaxMetrics} points");
                _index = list.Count;
                if (ReadPoint(ref r, out var point) is { } error) return error;
                list.Add(point);
            }
            _array = null;
            metrics = list;
            return null;
        }

        private string? ReadPoint(ref Utf8JsonReader r, out MetricPoint point)
        {
            point = default;
            if (r.TokenType != JsonTokenType.StartObject) return Here("must be an object");
            var seen = Seen.None;
            string? device = null, name = null, unit = null;
            var ts = default(Instant);
            var value = 0.0;
            var quality = MetricQuality.Good;
            Span<byte> scratch = stackalloc byte[ScratchLength];
            while (true)
            {
                r.Read();
                if (r.TokenType == JsonTokenType.EndObject) break;
                var member = PointMember(ref r);
                if (member == Seen.None) return Here($"unknown member '{MemberName(in r)}'");
                if ((seen & member) != 0) return Here($"duplicate member '{MemberName(in r)}'");
                seen |= member;
                _member = MemberName(member);
                r.Read();
                int n;
                switch (member)
                {
                    case Seen.Device:
                        if ((n = CopyShort(in r, scratch)) < 0 || !TelemetryRules.IsDeviceOrName(scratch[..n]))
                            return At("device", $"must be a string of {TelemetryRules.DeviceRule}");
                        device = _devices.Get(scratch[..n]);
                        break;
                    case Seen.Name:
                        if ((n = CopyShort(in r, scratch)) < 0 || !TelemetryRules.IsDeviceOrName(scratch[..n]))
                            return At("name", $"must be a string of {TelemetryRules.DeviceRule}");
                        name = _names.Get(scratch[..n]);
                        break;
                    case Seen.Unit:
                        if ((n = CopyShort(in r, scratch)) < 0 || !TelemetryRules.IsUnit(scratch[..n]))
                            return At("unit", $"must be a string of {TelemetryRules.UnitRule} (omit it when there is none)");
                        unit = _units.Get(scratch[..n]);
                        break;
                    case Seen.Ts:
                        if (ReadTimestamp(ref r, "ts", out ts) is { } tsError) return tsError;
                        break;
                    case Seen.Value:
                        if (r.TokenType != JsonTokenType.Number || !r.TryGetDouble(out value) || !double.IsFinite(value))
                            return At("value", "must be a finite JSON number");
                        break;
                    default:
                        if (r.TokenType != JsonTokenType.String) return At("quality", "must be \"uncertain\" or \"bad\" (omitted when good)");
                        if (JsonText.EqualsUtf8(in r, "uncertain"u8)) quality = MetricQuality.Uncertain;
                        else if (JsonText.EqualsUtf8(in r, "bad"u8)) quality = MetricQuality.Bad;
                        else if (JsonText.EqualsUtf8(in r, "good"u8)) quality = MetricQuality.Good;
                        else return At("quality", "must be \"uncertain\" or \"bad\" (omitted when good)");
                        break;
                }
            }
            _member = null;
            if ((seen & Seen.Device) == 0) return At("device", "required member missing");
            if ((seen & Seen.Name) == 0) return At("name", "required member missing");
            if ((seen & Seen.Ts) == 0) return At("ts", "required member missing");
            if ((seen & Seen.Value) == 0) return At("value", "required member missing");
            point = new MetricPoint(device!, name!, unit, ts, value, quality);
            return null;
        }

        private static Seen PointMember(ref Utf8JsonReader r) =>
            JsonText.EqualsUtf8(in r, "device"u8) ? Seen.Device
            : JsonText.EqualsUtf8(in r, "name"u8) ? Seen.Name
            : JsonText.EqualsUtf8(in r, "unit"u8) ? Seen.Unit
            : JsonText.EqualsUtf8(in r, "ts"u8) ? Seen.Ts
            : JsonText.EqualsUtf8(in r, "value"u8) ? Seen.Value
            : JsonText.EqualsUtf8(in r, "quality"u8) ? Seen.Quality
            : Seen.None;

        private string? ReadEvents(ref Utf8JsonReader r, out List<TelemetryEvent>? events)
        {
            events = null;
            if (r.TokenType != JsonTokenType.StartArray) return "events: must be an array";
            var list = new List<TelemetryEvent>();
            _array = "events";
            _index = 0;
            while (true)
            {
                _member = null;
                r.Read();
                if (r.TokenType == JsonTokenType.EndArray) break;
                if (list.Count == options.MaxEvents)
                    return string.Create(CultureInfo.InvariantCulture, $"events: more than {options.MaxEvents} events");
                _index = list.Count;
                if (ReadEvent(ref r, out var e) is { } error) return error;
                list.Add(e!);
            }
            _array = null;
            events = list;
            return null;
        }

        private string? ReadEvent(ref Utf8JsonReader r, out TelemetryEvent? e)
        {
            e = null;
            if (r.TokenType != JsonTokenType.StartObject) return Here("must be an object");
            var seen = Seen.None;
            string? device = null, type = null;
            var ts = default(Instant);
            Dictionary<string, EventValue>? data = null;
            Span<byte> scratch = stackalloc byte[ScratchLength];
            while (true)
            {
                r.Read();
                if (r.TokenType == JsonTokenType.EndObject) break;
                var member = EventMember(ref r);
                if (member == Seen.None) return Here($"unknown member '{MemberName(in r)}'");
                if ((seen & member) != 0) return Here($"duplicate member '{MemberName(in r)}'");
                seen |= member;
                _member = MemberName(member);
                r.Read();
                int n;
                switch (member)
                {
                    case Seen.Device:
                        if ((n = CopyShort(in r, scratch)) < 0 || !TelemetryRules.IsDeviceOrName(scratch[..n]))
                            return At("device", $"must be a string of {TelemetryRules.DeviceRule}");
                        device = _devices.Get(scratch[..n]);
                        break;
                    case Seen.Type:
                        if ((n = CopyShort(in r, scratch)) < 0 || !IsEventType(scratch[..n]))
                            return At("type", $"must be {TelemetryRules.EventTypeRule}");
                        type = _types.Get(scratch[..n]);
                        break;
                    case Seen.Ts:
                        if (ReadTimestamp(ref r, "ts", out ts) is { } tsError) return tsError;
                        break;
                    default:
                        if (ReadData(ref r, out data) is { } dataError) return dataError;
                        break;
                }
            }
            _member = null;
            if ((seen & Seen.Device) == 0) return At("device", "required member missing");
            if ((seen & Seen.Type) == 0) return At("type", "required member missing");
            if ((seen & Seen.Ts) == 0) return At("ts", "required member missing");
            if ((seen & Seen.Data) == 0) return At("data", "required member missing (use {} when there are no attributes)");
            e = new TelemetryEvent(device!, type!, ts, data!);
            return null;
        }

        private static Seen EventMember(ref Utf8JsonReader r) =>
            JsonText.EqualsUtf8(in r, "device"u8) ? Seen.Device
            : JsonText.EqualsUtf8(in r, "type"u8) ? Seen.Type
            : JsonText.EqualsUtf8(in r, "ts"u8) ? Seen.Ts
            : JsonText.EqualsUtf8(in r, "data"u8) ? Seen.Data
            : Seen.None;

        private static bool IsEventType(ReadOnlySpan<byte> utf8)
        {
            // Types are ASCII; widen without allocating and apply the one UTF-16 rule.
            if (utf8.Length > TelemetryLimits.MaxEventTypeLength) return false;
            Span<char> chars = stackalloc char[utf8.Length];
            for (var i = 0; i < utf8.Length; i++)
            {
                if (utf8[i] > 0x7F) return false;
                chars[i] = (char)utf8[i];
            }
            return TelemetryRules.IsEventType(chars);
        }

        private string? ReadData(ref Utf8JsonReader r, out Dictionary<string, EventValue>? data)
        {
            data = null;
            if (r.TokenType != JsonTokenType.StartObject) return At("data", "must be an object");
            var result = new Dictionary<string, EventValue>(StringComparer.Ordinal);
            Span<byte> scratch = stackalloc byte[ScratchLength];
            while (true)
            {
                r.Read();
                if (r.TokenType == JsonTokenType.EndObject) break;
                if (result.Count == TelemetryLimits.MaxDataEntries) return At("data", $"more than {TelemetryLimits.MaxDataEntries} entries");
                scoped ReadOnlySpan<byte> rawKey = r.ValueSpan;
                if (r.ValueIsEscaped)
                {
                    if (rawKey.Length > scratch.Length || !JsonText.TryCopy(in r, scratch, out var k)) return At("data", $"a key is not {TelemetryRules.DataKeyRule}");
                    rawKey = scratch[..k];
                }
                if (!TelemetryRules.IsDataKey(rawKey)) return At("data", $"key '{MemberName(in r)}' is not {TelemetryRules.DataKeyRule}");
                var key = System.Text.Encoding.ASCII.GetString(rawKey);
                if (result.ContainsKey(key)) return At("data", $"duplicate key '{key}'");
                var path = "data." + key;
                r.Read();
                switch (r.TokenType)
                {
                    case JsonTokenType.String:
                        // The escaped form is at most 6 bytes per character; longer is surely over the limit.
                        if (r.ValueSpan.Length > 6 * TelemetryLimits.MaxTextBytes) return At(path, $"longer than {TelemetryLimits.MaxTextBytes} UTF-8 bytes");
                        if (!TryGetString(in r, out var text)) return At(path, "is not valid Unicode (lone surrogate escape)");
                        if (text.Length > TelemetryLimits.MaxTextBytes / 3 && System.Text.Encoding.UTF8.GetByteCount(text) > TelemetryLimits.MaxTextBytes)
                            return At(path, $"longer than {TelemetryLimits.MaxTextBytes} UTF-8 bytes");
                        result.Add(key, EventValue.FromString(text));
                        break;
                    case JsonTokenType.Number:
                        if (!r.TryGetDouble(out var number) || !double.IsFinite(number)) return At(path, "must be a finite JSON number");
                        result.Add(key, EventValue.FromNumber(number));
                        break;
                    case JsonTokenType.True or JsonTokenType.False:
                        result.Add(key, EventValue.FromBoolean(r.TokenType == JsonTokenType.True));
                        break;
                    default:
                        // Skip nothing: a nested value is refused where it starts.
                        return At(path, "must be a string, a number or a boolean (no null, object or array)");
                }
            }
            data = result;
            return null;
        }

        private static bool TryGetString(in Utf8JsonReader r, out string text)
        {
            try
            {
                text = r.GetString()!;
                return true;
            }
            catch (InvalidOperationException)
            {
                text = "";
                return false;
            }
        }

        private string Here(string problem) => string.Create(CultureInfo.InvariantCulture, $"{_array}[{_index}]: {problem}");
    }
}
