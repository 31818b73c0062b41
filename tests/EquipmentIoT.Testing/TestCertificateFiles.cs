namespace EquipmentIoT.Testing;

/// <summary>Paths of the PEM files written by <see cref="TestCertificates.WritePemFiles(string)"/>.</summary>
public sealed record TestCertificateFiles(
    string CaFile, string ServerCertFile, string ServerKeyFile, string ClientCertFile, string ClientKeyFile, string WrongCaFile);
