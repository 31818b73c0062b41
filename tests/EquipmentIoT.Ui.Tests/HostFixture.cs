namespace EquipmentIoT.Ui.Tests;

/// <summary>One seeded <see cref="UiHost"/> for a test class.</summary>
public sealed class HostFixture : IAsyncLifetime
{
    public UiHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await UiHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
