using System.Diagnostics.CodeAnalysis;

namespace EquipmentIoT.Cloud.Maintenance;

/// <summary>Why a maintenance request was not carried out.</summary>
public enum MaintenanceProblem
{
    /// <summary>The input breaks a rule (a field is missing, too long, out of range): the errors name each field.</summary>
    Invalid,

    /// <summary>The plan, work order, calibration item or device does not exist.</summary>
    NotFound,

    /// <summary>The current state does not allow it (a transition from the wrong state, verifying one's own work, a concurrent change).</summary>
    Conflict,
}

/// <summary>The outcome of a maintenance request: the value, or the problem with every reason (never an exception for bad input).</summary>
public sealed class MaintenanceResult<T>
{
    private MaintenanceResult(T? value, MaintenanceProblem? problem, IReadOnlyList<string> errors)
    {
        Value = value;
        Problem = problem;
        Errors = errors;
    }

    /// <summary>True when it was carried out.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Problem))]
    public bool Success => Problem is null;

    /// <summary>The result when successful.</summary>
    public T? Value { get; }

    /// <summary>What kind of problem, when not successful.</summary>
    public MaintenanceProblem? Problem { get; }

    /// <summary>Every reason, for people ("everyMonths: must be from 1 to 120").</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>The reasons in one line.</summary>
    public string Error => string.Join("; ", Errors);

    /// <summary>Carried out.</summary>
    internal static MaintenanceResult<T> Ok(T value) => new(value ?? throw new ArgumentNullException(nameof(value)), null, []);

    /// <summary>Input that breaks the rules.</summary>
    internal static MaintenanceResult<T> Invalid(IReadOnlyList<string> errors) => Fail(MaintenanceProblem.Invalid, errors);

    /// <summary>Input that breaks one rule.</summary>
    internal static MaintenanceResult<T> Invalid(string error) => Fail(MaintenanceProblem.Invalid, [error]);

    /// <summary>Nothing with that id.</summary>
    internal static MaintenanceResult<T> NotFound(string error) => Fail(MaintenanceProblem.NotFound, [error]);

    /// <summary>Not allowed in the current state.</summary>
    internal static MaintenanceResult<T> Conflict(string error) => Fail(MaintenanceProblem.Conflict, [error]);

    /// <summary>The same problem for another value type.</summary>
    public MaintenanceResult<TOther> As<TOther>() =>
        Problem is { } problem ? MaintenanceResult<TOther>.Fail(problem, Errors) : throw new InvalidOperationException("a successful result has no problem to pass on");

    /// <summary>A failure of the given kind.</summary>
    internal static MaintenanceResult<T> Fail(MaintenanceProblem problem, IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0) throw new ArgumentException("a failure needs a reason", nameof(errors));
        return new(default, problem, errors);
    }

    /// <inheritdoc/>
    public override string ToString() => Success ? "ok" : $"{Problem}: {Error}";
}
