namespace EquipmentIoT.Cloud.Usage;

/// <summary>A usage request that cannot be answered as asked (range too long, too many events): the message says why.</summary>
public sealed class UsageException(string message) : Exception(message);
