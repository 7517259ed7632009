namespace Aria.Metrics;

/// <summary>Wall-clock time as Prometheus counts it: seconds since the Unix epoch.</summary>
internal static class UnixTime
{
    /// <summary>Now, in seconds since 1970-01-01T00:00:00Z, with the resolution of the system clock.</summary>
    public static double Now() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerSecond;
}
