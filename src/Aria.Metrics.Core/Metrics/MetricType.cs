namespace Aria.Metrics;

/// <summary>The kinds of metric family the engine exposes.</summary>
public enum MetricType
{
    /// <summary>A value that only goes up (and resets when the process restarts).</summary>
    Counter,

    /// <summary>A value that goes up and down.</summary>
    Gauge,

    /// <summary>Observations counted into cumulative buckets, with their sum and count.</summary>
    Histogram,

    /// <summary>One series of label values with the value 1, describing the target (build, version).</summary>
    Info,
}
