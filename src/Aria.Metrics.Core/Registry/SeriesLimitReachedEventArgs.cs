namespace Aria.Metrics;

/// <summary>What <see cref="MetricRegistry.SeriesLimitReached"/> reports: the family and the limit it reached.</summary>
public sealed class SeriesLimitReachedEventArgs : EventArgs
{
    internal SeriesLimitReachedEventArgs(MetricFamily family, int limit)
    {
        Family = family;
        Limit = limit;
    }

    /// <summary>The family that refused a label set.</summary>
    public MetricFamily Family { get; }

    /// <summary>Its series limit when it refused, the overflow series included.</summary>
    public int Limit { get; }
}
