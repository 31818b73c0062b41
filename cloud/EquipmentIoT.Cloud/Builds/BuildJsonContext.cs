using System.Text.Json.Serialization;

namespace EquipmentIoT.Cloud.Builds;

/// <summary>Source-generated JSON for the entry fields stored as text.</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(SortedDictionary<string, string>))]
internal sealed partial class BuildJsonContext : JsonSerializerContext;
