using EquipmentIoT.Cloud.Licences;
using EquipmentIoT.Cloud.Tests.Postgres;

namespace EquipmentIoT.Cloud.Tests.Licences;

public sealed class SqliteLicenceServiceTests : LicenceServiceContract
{
    internal override Task<LicenceTestBed> NewBedAsync(Action<LicenceOptions>? configure = null) => LicenceTestBed.CreateAsync(configure);
}

public sealed class SqliteLicenceReminderSimulationTests : LicenceReminderSimulationContract
{
    internal override Task<LicenceTestBed> NewBedAsync(Action<LicenceOptions>? configure = null) => LicenceTestBed.CreateAsync(configure);
}

[Collection(PostgresServerGroup.Name)]
public sealed class PostgresLicenceServiceTests(PostgresFixture fixture) : LicenceServiceContract
{
    internal override Task<LicenceTestBed> NewBedAsync(Action<LicenceOptions>? configure = null) => LicenceTestBed.CreatePostgresAsync(fixture, configure);
}

[Collection(PostgresServerGroup.Name)]
public sealed class PostgresLicenceReminderSimulationTests(PostgresFixture fixture) : LicenceReminderSimulationContract
{
    internal override Task<LicenceTestBed> NewBedAsync(Action<LicenceOptions>? configure = null) => LicenceTestBed.CreatePostgresAsync(fixture, configure);
}
