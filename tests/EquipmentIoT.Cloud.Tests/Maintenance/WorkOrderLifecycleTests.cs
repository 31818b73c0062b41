using EquipmentIoT.Cloud.Maintenance;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Maintenance;

public sealed class WorkOrderLifecycleTests
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 3, 2, 8, 0);

    private static readonly WorkOrder Opened = new(7, WorkOrderKind.Repair, WorkOrderState.Open, "ct-01", "Replace detector fan", null,
        WorkOrderPriority.High, new LocalDate(2026, 3, 3), T0, "eng-bob");

    private static readonly WorkDone Work = new("fan replaced, tested", 2.5, [new PartUsed("FAN-120", 2, "pcs"), new PartUsed("Thermal paste", 0.5, "g")]);

    [Fact]
    public void Commands_FullPath_RecordEachTransitionWithActorTimeAndComment()
    {
        var assigned = Ok(WorkOrderLifecycle.Assign(Opened, "eng-bob", "manager-anna", null, T0 + Duration.FromMinutes(1)));
        var started = Ok(WorkOrderLifecycle.Start(assigned.Order, "eng-bob", "on site", T0 + Duration.FromMinutes(30)));
        var done = Ok(WorkOrderLifecycle.Done(started.Order, Work, "eng-bob", T0 + Duration.FromHours(3)));
        var verified = Ok(WorkOrderLifecycle.Verify(done.Order, "eng-carol", "checked", T0 + Duration.FromHours(4)));

        Assert.Equal(new WorkOrderTransition(7, WorkOrderState.Open, WorkOrderState.Assigned, T0 + Duration.FromMinutes(1), "manager-anna", "assigned to eng-bob"),
            assigned.Transition);
        Assert.Equal("eng-bob", assigned.Order.AssignedTo);
        Assert.Equal(new WorkOrderTransition(7, WorkOrderState.Assigned, WorkOrderState.InProgress, T0 + Duration.FromMinutes(30), "eng-bob", "on site"),
            started.Transition);
        Assert.Equal(WorkOrderState.Done, done.Order.State);
        Assert.Equal("eng-bob", done.Order.CompletedBy);
        Assert.Equal(2.5, done.Order.LabourHours);
        Assert.Equal(Work.Parts, done.Order.Parts);
        Assert.Equal(WorkOrderState.Verified, verified.Order.State);
        Assert.Equal("eng-carol", verified.Order.VerifiedBy);
        Assert.Equal((WorkOrderState.Done, WorkOrderState.Verified), (verified.Transition.From!.Value, verified.Transition.To));
    }

    [Fact]
    public void Start_WhileOpen_IsRefusedAskingForAnAssignment()
    {
        var result = WorkOrderLifecycle.Start(Opened, "eng-bob", null, T0);

        Assert.Equal(MaintenanceProblem.Conflict, result.Problem);
        Assert.Contains("assign it to someone before work starts", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Commands_FromTheWrongState_AreRefusedNamingTheState()
    {
        var assigned = Opened with { State = WorkOrderState.Assigned, AssignedTo = "eng-bob" };
        var done = Opened with { State = WorkOrderState.Done, CompletedBy = "eng-bob" };
        var verified = done with { State = WorkOrderState.Verified };
        var cancelled = Opened with { State = WorkOrderState.Cancelled };

        AssertRefused(WorkOrderLifecycle.Done(assigned, Work, "eng-bob", T0), "work order 7 is Assigned: only a work order that is InProgress can be done");
        AssertRefused(WorkOrderLifecycle.Verify(assigned, "eng-carol", null, T0), "is Assigned: only a work order that is Done can be verified");
        AssertRefused(WorkOrderLifecycle.Assign(done, "eng-carol", "anna", null, T0), "is Done: only a work order that is Open or Assigned can be assigned");
        AssertRefused(WorkOrderLifecycle.Cancel(done, "no longer needed", "anna", T0), "is Done: only a work order that is Open, Assigned or InProgress");
        AssertRefused(WorkOrderLifecycle.Cancel(verified, "no longer needed", "anna", T0), "is Verified");
        AssertRefused(WorkOrderLifecycle.Start(cancelled, "eng-bob", null, T0), "is Cancelled: only a work order that is Assigned can be started");
        AssertRefused(WorkOrderLifecycle.Verify(verified, "eng-carol", null, T0), "is Verified: only a work order that is Done can be verified");
    }

    [Theory]
    [InlineData("eng-bob")]
    [InlineData("ENG-BOB")]
    public void Verify_ByWhoeverDidTheWork_IsRefused(string verifier)
    {
        var done = Opened with { State = WorkOrderState.Done, CompletedBy = "eng-bob" };

        var result = WorkOrderLifecycle.Verify(done, verifier, null, T0);

        Assert.Equal(MaintenanceProblem.Conflict, result.Problem);
        Assert.Equal("work order 7 was done by eng-bob: someone else must verify it", result.Error);
    }

    [Fact]
    public void Done_WithBadInput_IsInvalidNamingEachField()
    {
        var started = Opened with { State = WorkOrderState.InProgress };

        var result = WorkOrderLifecycle.Done(started, new WorkDone("", -1, [new PartUsed("", 0), new PartUsed("ok", double.PositiveInfinity)], "C-1"),
            "eng-bob", T0);

        Assert.Equal(MaintenanceProblem.Invalid, result.Problem);
        Assert.Equal(["notes: required", "labourHours: must be from 0 to 1000", "parts[0].part: required",
            "parts[0].quantity: must be above 0 and at most 1000000", "parts[1].quantity: must be above 0 and at most 1000000",
            "certificate: only for calibration work orders"], result.Errors);
    }

    [Fact]
    public void Cancel_WithoutReason_IsInvalid_AndWithOneFromAnyOpenState_Cancels()
    {
        Assert.Equal(["reason: required"], WorkOrderLifecycle.Cancel(Opened, " ", "anna", T0).Errors);
        foreach (var state in new[] { WorkOrderState.Open, WorkOrderState.Assigned, WorkOrderState.InProgress })
        {
            var step = Ok(WorkOrderLifecycle.Cancel(Opened with { State = state }, "duplicate of 6", "anna", T0));
            Assert.Equal(WorkOrderState.Cancelled, step.Order.State);
            Assert.Equal("duplicate of 6", step.Order.CancelReason);
            Assert.Equal("duplicate of 6", step.Transition.Comment);
        }
    }

    [Fact]
    public void Assign_Reassignment_IsRecordedAndNeedsAnAssignee()
    {
        var assigned = Opened with { State = WorkOrderState.Assigned, AssignedTo = "eng-bob" };

        var step = Ok(WorkOrderLifecycle.Assign(assigned, "eng-carol", "anna", "bob is off sick", T0));

        Assert.Equal("eng-carol", step.Order.AssignedTo);
        Assert.Equal((WorkOrderState.Assigned, WorkOrderState.Assigned, "bob is off sick"), (step.Transition.From!.Value, step.Transition.To, step.Transition.Comment));
        Assert.Equal(["assignee: required"], WorkOrderLifecycle.Assign(Opened, "", "anna", null, T0).Errors);
    }

    [Fact]
    public void IsOverdueOn_OpenPastItsDay_OnlyThen()
    {
        Assert.False(Opened.IsOverdueOn(new LocalDate(2026, 3, 3)));
        Assert.True(Opened.IsOverdueOn(new LocalDate(2026, 3, 4)));
        Assert.False((Opened with { State = WorkOrderState.Done }).IsOverdueOn(new LocalDate(2026, 3, 4)));
    }

    private static WorkOrderStep Ok(MaintenanceResult<WorkOrderStep> result)
    {
        Assert.True(result.Success, result.ToString());
        return result.Value;
    }

    private static void AssertRefused(MaintenanceResult<WorkOrderStep> result, string expected)
    {
        Assert.Equal(MaintenanceProblem.Conflict, result.Problem);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }
}
