namespace EquipmentIoT.Cloud.Storage;

/// <summary>
/// A store that prepares itself before use (schema migrations, opening its writer). The host runs every
/// registered initializer once at start, before ingestion or the API touch a store; a store also initializes
/// itself on first use, so a forgotten call costs a slower first request, not a failure.
/// </summary>
public interface IStoreInitializer
{
    Task InitializeAsync(CancellationToken cancellationToken);
}
