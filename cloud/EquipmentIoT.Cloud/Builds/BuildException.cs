namespace EquipmentIoT.Cloud.Builds;

/// <summary>What kind of refusal a <see cref="BuildException"/> is (the API maps it to 404, 409 or 400).</summary>
public enum BuildProblem
{
    /// <summary>The build, entry or part does not exist.</summary>
    NotFound,

    /// <summary>The record's state does not allow it (sealed, not ended, already sealed).</summary>
    Conflict,

    /// <summary>The request itself is wrong (a field, a UDI).</summary>
    Invalid,
}

/// <summary>A build operation refused by the rules, with the reason a person can act on.</summary>
public sealed class BuildException : Exception
{
    public BuildException(BuildProblem problem, string message) : base(message) => Problem = problem;

    public BuildException()
    {
    }

    public BuildException(string message) : base(message)
    {
    }

    public BuildException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>The kind of refusal.</summary>
    public BuildProblem Problem { get; } = BuildProblem.Invalid;
}
