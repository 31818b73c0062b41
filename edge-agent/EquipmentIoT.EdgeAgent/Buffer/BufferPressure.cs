namespace EquipmentIoT.EdgeAgent.Buffer;

/// <summary>
/// How close the buffer is to its bound, counted over bytes that cannot be reclaimed (acknowledged
/// segments that may be evicted do not count). The agent thins bulk metrics before signing from
/// <see cref="Thinning"/> on and stops producing them at <see cref="Full"/>.
/// </summary>
public enum BufferPressure
{
    /// <summary>Below the thinning threshold.</summary>
    Normal,

    /// <summary>At or above <see cref="BufferOptions.ThinningThreshold"/> × <see cref="BufferOptions.MaxBytes"/>.</summary>
    Thinning,

    /// <summary>A metrics record the size of the last one would be refused.</summary>
    Full,
}
