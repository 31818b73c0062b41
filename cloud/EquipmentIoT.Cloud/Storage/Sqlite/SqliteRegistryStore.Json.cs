using System.Text.Json.Serialization;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>Source-generated JSON for the device-id lists handed to SQLite's json_each.</summary>
[JsonSerializable(typeof(IReadOnlyCollection<string>))]
internal sealed partial class RegistryJson : JsonSerializerContext;
