using EquipmentIoT.Cloud.Licences;
using EquipmentIoT.Cloud.Storage;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Licences;

public abstract class LicenceServiceContract : IAsyncLifetime
{
    /// <summary>A fresh test bed on the database under test.</summary>
    internal abstract Task<LicenceTestBed> NewBedAsync(Action<LicenceOptions>? configure = null);

    private static readonly LicenceManager Manager = new("张伟", "+8613800000001");
    private LicenceTestBed _bed = null!;

    public async Task InitializeAsync()
    {
        _bed = await NewBedAsync();
        _bed.At(new LocalDate(2027, 6, 1));
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task CreateAsync_EveryFieldWrong_OneReasonPerField()
    {
        var request = new LicenceRequest(" ", null, "", null, "上海", "国家卫生健康委员会", new LocalDate(2027, 6, 1), new LocalDate(2027, 5, 31),
            Managers: [new LicenceManager("", "13800000001"), new LicenceManager("李娜", "+8613800000002"), new LicenceManager("王芳", "+8613800000002")]);

        var result = await _bed.Service.CreateAsync(request, CancellationToken.None);

        Assert.Equal(LicenceOutcome.Invalid, result.Outcome);
        Assert.Equal(["category", "deadline", "equipmentType", "holder", "managers[0].name", "managers[0].phone", "managers[2].phone", "number"],
            result.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("2027-05-31 is before the issue date 2027-06-01", Assert.Single(result.Errors["deadline"]));
        Assert.Contains("E.164", Assert.Single(result.Errors["managers[0].phone"]), StringComparison.Ordinal);
        Assert.Equal("+8613800000002 is listed twice", Assert.Single(result.Errors["managers[2].phone"]));
    }

    [Fact]
    public async Task CreateAsync_Valid_StoredActiveTrimmedAndReadBack()
    {
        var request = LicenceTestBed.Request("  甲2027-001 ", new LocalDate(2028, 3, 31), managers: [Manager]) with { Form = LicenceForm.Copy };

        var created = await _bed.Service.CreateAsync(request, CancellationToken.None);
        var read = await _bed.Store.GetAsync(created.Licence!.Id, CancellationToken.None);

        Assert.Equal(created.Licence! with { Managers = [] }, read! with { Managers = [] });
        Assert.Equal(("甲2027-001", LicenceStatus.Active, LicenceForm.Copy, "sh"), (read!.Number, read.Status, read.Form, read.SiteId));
        Assert.Equal([Manager], read.Managers);
        Assert.Equal(_bed.Clock.GetCurrentInstant(), read.Created);
    }

    [Fact]
    public async Task CreateAsync_NumberTakenOrUnknownSiteOrDevice_ConflictOrInvalidWithTheReason()
    {
        await _bed.AddAsync("甲2027-001", new LocalDate(2028, 3, 31));

        var taken = await _bed.Service.CreateAsync(LicenceTestBed.Request("甲2027-001", new LocalDate(2028, 1, 1)), CancellationToken.None);
        var unknown = await _bed.Service.CreateAsync(LicenceTestBed.Request("甲2027-002", new LocalDate(2028, 1, 1), site: "nowhere")
            with { DeviceId = "ct-99" }, CancellationToken.None);

        Assert.Equal((LicenceOutcome.Conflict, "number: licence number '甲2027-001' is registered already"), (taken.Outcome, taken.Reason));
        Assert.Equal(LicenceOutcome.Invalid, unknown.Outcome);
        Assert.StartsWith("no site 'nowhere'", Assert.Single(unknown.Errors["siteId"]), StringComparison.Ordinal);
        Assert.Equal("no device 'ct-99' is known to the registry", Assert.Single(unknown.Errors["deviceId"]));
    }

    [Fact]
    public async Task UpdateAsync_AnotherLicencesNumberOrMissingLicence_ConflictOrNotFound()
    {
        await _bed.AddAsync("甲2027-001", new LocalDate(2028, 3, 31));
        var second = await _bed.AddAsync("甲2027-002", new LocalDate(2028, 3, 31));

        var clash = await _bed.Service.UpdateAsync(second.Id, LicenceTestBed.Request("甲2027-001", new LocalDate(2028, 3, 31)), CancellationToken.None);
        var missing = await _bed.Service.UpdateAsync(999, LicenceTestBed.Request("甲2027-009", new LocalDate(2028, 3, 31)), CancellationToken.None);
        var same = await _bed.Service.UpdateAsync(second.Id, LicenceTestBed.Request("甲2027-002", new LocalDate(2028, 6, 30)), CancellationToken.None);

        Assert.Equal(LicenceOutcome.Conflict, clash.Outcome);
        Assert.Equal(LicenceOutcome.NotFound, missing.Outcome);
        Assert.Equal(new LocalDate(2028, 6, 30), same.Licence!.Deadline);
    }

    [Fact]
    public async Task FulfilAsync_DeviceUnknownThenKnown_InvalidThenFulfilledTodayAtTheSite()
    {
        var licence = await _bed.AddAsync("甲2027-001", new LocalDate(2028, 3, 31));

        var noDevice = await _bed.Service.FulfilAsync(licence.Id, null, null, null, CancellationToken.None);
        var unknown = await _bed.Service.FulfilAsync(licence.Id, "pet-01", null, null, CancellationToken.None);
        await _bed.Registry.SaveAssetAsync("pet-01", new AssetRecord("PET/CT", Site: "sh"), CancellationToken.None);
        var future = await _bed.Service.FulfilAsync(licence.Id, "pet-01", new LocalDate(2027, 6, 2), null, CancellationToken.None);
        var done = await _bed.Service.FulfilAsync(licence.Id, "pet-01", null, "验收合格", CancellationToken.None);
        var again = await _bed.Service.FulfilAsync(licence.Id, "pet-01", null, null, CancellationToken.None);

        Assert.Equal("deviceId: required: the device installed under the licence", noDevice.Reason);
        Assert.Equal("deviceId: no device 'pet-01' is known to the registry", unknown.Reason);
        Assert.Equal("on: 2027-06-02 is in the future (today is 2027-06-01 at the licence's site)", future.Reason);
        Assert.Equal((LicenceStatus.Fulfilled, "pet-01", new LocalDate(2027, 6, 1), "验收合格"),
            (done.Licence!.Status, done.Licence.DeviceId, done.Licence.FulfilledOn, done.Licence.StatusNote));
        Assert.Equal((LicenceOutcome.Conflict, "status: the licence is fulfilled: only an active licence is fulfilled"), (again.Outcome, again.Reason));
    }

    [Fact]
    public async Task RevokeAsync_NoReasonThenReasonThenEdit_InvalidRevokedThenConflict()
    {
        var licence = await _bed.AddAsync("甲2027-001", new LocalDate(2028, 3, 31));

        var noReason = await _bed.Service.RevokeAsync(licence.Id, " ", null, CancellationToken.None);
        var early = await _bed.Service.RevokeAsync(licence.Id, "x", new LocalDate(2026, 1, 1), CancellationToken.None);
        var revoked = await _bed.Service.RevokeAsync(licence.Id, "规划调整", new LocalDate(2027, 5, 20), CancellationToken.None);
        var edit = await _bed.Service.UpdateAsync(licence.Id, LicenceTestBed.Request("甲2027-001", new LocalDate(2028, 3, 31)), CancellationToken.None);
        var twice = await _bed.Service.RevokeAsync(licence.Id, "again", null, CancellationToken.None);

        Assert.Equal("reason: required: why the licence is revoked", noReason.Reason);
        Assert.Equal("on: 2026-01-01 is before the licence was issued (2026-12-01)", early.Reason);
        Assert.Equal((LicenceStatus.Revoked, new LocalDate(2027, 5, 20), "规划调整"), (revoked.Licence!.Status, revoked.Licence.RevokedOn, revoked.Licence.StatusNote));
        Assert.Equal("status: a revoked licence is not edited", edit.Reason);
        Assert.Equal(LicenceOutcome.Conflict, twice.Outcome);
    }

    [Fact]
    public async Task ListAsync_Filters_MatchEveryGivenField()
    {
        await _bed.AddAsync("甲2027-001", new LocalDate(2028, 3, 31), region: "上海");
        await _bed.AddAsync("乙2027-002", new LocalDate(2027, 9, 30), region: "上海", category: LicenceCategory.ClassB);
        await _bed.AddAsync("乙2027-003", new LocalDate(2027, 12, 31), site: "xj", region: "新疆", category: LicenceCategory.ClassB);

        async Task<string[]> Numbers(LicenceQuery q) => [.. (await _bed.Store.ListAsync(q, CancellationToken.None)).Select(l => l.Number)];

        Assert.Equal(["乙2027-002", "乙2027-003", "甲2027-001"], await Numbers(new LicenceQuery()));
        Assert.Equal(["乙2027-002", "乙2027-003"], await Numbers(new LicenceQuery(Category: LicenceCategory.ClassB)));
        Assert.Equal(["乙2027-002"], await Numbers(new LicenceQuery(Region: "上海", Category: LicenceCategory.ClassB)));
        Assert.Equal(["乙2027-003"], await Numbers(new LicenceQuery(SiteId: "xj")));
        Assert.Equal(["乙2027-003"], await Numbers(new LicenceQuery(DeadlineFrom: new LocalDate(2027, 10, 1), DeadlineTo: new LocalDate(2027, 12, 31))));
    }
}
