namespace EquipmentIoT.Bench;

/// <summary>A command line the bench does not understand; the message says what is wrong.</summary>
internal sealed class CommandLineException(string message) : Exception(message);
