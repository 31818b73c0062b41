using EquipmentIoT.Protocols.Telemetry.Json;

namespace EquipmentIoT.Protocols.Telemetry.Model;

/// <summary>The envelope's rules for names and units (SPEC.md §metrics), for whoever makes them up: profiles, adapters.</summary>
public static class TelemetryNames
{
    /// <summary>The rule for device ids and metric names, as text.</summary>
    public const string NameRule = TelemetryRules.DeviceRule;

    /// <summary>The rule for units, as text.</summary>
    public const string UnitRule = TelemetryRules.UnitRule;

    /// <summary>The rule for event types, as text.</summary>
    public const string EventTypeRule = TelemetryRules.EventTypeRule;

    /// <summary>True when <paramref name="type"/> is an event type of SPEC.md or a vendor's "x-vendor.name".</summary>
    public static bool IsValidEventType(string? type) => type is not null && TelemetryRules.IsEventType(type);

    /// <summary>True when <paramref name="name"/> may be a device id or metric name.</summary>
    public static bool IsValidName(string? name) => name is not null && TelemetryRules.IsDeviceOrName(name);

    /// <summary>True when <paramref name="unit"/> may be a unit (a UCUM code such as Cel, K, %, [psi], L/min).</summary>
    public static bool IsValidUnit(string? unit) => unit is not null && TelemetryRules.IsUnit(unit);
}
