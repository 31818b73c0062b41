namespace EquipmentIoT.Cloud.Storage;

/// <summary>
/// A store that must prepare itself (schema migrations, files) before first use. Every store registers
/// itself under this interface too, and the host awaits <see cref="InitializeAsync"/> on each before it
/// starts ingestion or the API; the command line does the same before it touches a store.
/// </summary>
public interface IStoreInitializer
{
    /// <summary>Brings the store's schema up to date; safe to call more than once and from several processes.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);
}
