namespace EquipmentIoT.EdgeAgent.Privacy;

/// <summary>What the scrubber did to one attribute name so far (counts only, never values).</summary>
/// <param name="Removed">Values removed because the policy lists the key.</param>
/// <param name="Pseudonymised">Values replaced by pseudonyms.</param>
/// <param name="DefaultDenied">Values removed because the key's name looks personal and is not allowed.</param>
/// <param name="LeaksMasked">Kept text values of this key in which removed values were masked.</param>
public readonly record struct PhiKeyCounts(long Removed, long Pseudonymised, long DefaultDenied, long LeaksMasked);

/// <summary>Counters of a <see cref="PhiScrubber"/>, for the health record.</summary>
/// <param name="EventsUntouched">Events that held nothing to scrub and passed as they were.</param>
/// <param name="EventsScrubbed">Events that were changed.</param>
/// <param name="Keys">Per attribute name; at most <see cref="PhiScrubber.MaxCountedKeys"/> names, the rest under "(other)".</param>
public sealed record PhiScrubStatistics(long EventsUntouched, long EventsScrubbed, IReadOnlyDictionary<string, PhiKeyCounts> Keys);
