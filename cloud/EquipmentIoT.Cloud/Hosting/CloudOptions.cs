using System.ComponentModel.DataAnnotations;

namespace EquipmentIoT.Cloud.Hosting;

/// <summary>Section "Cloud": where the service keeps its data.</summary>
public sealed class CloudOptions
{
    public const string Section = "Cloud";

    /// <summary>Directory of the embedded stores (records.db, series.db) and the instance lock.</summary>
    [Required]
    public string DataDirectory { get; set; } = CloudPaths.DefaultDataDirectory;
}
