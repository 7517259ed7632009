using System.Diagnostics;

namespace Aria.Metrics;

/// <summary>How a histogram family buckets its observations, beyond its name, help and labels.</summary>
public sealed class HistogramOptions
{
    /// <summary>
    /// The upper bounds of the classic buckets (<c>+Inf</c> is implied). Null gives <see cref="Metrics.Buckets.Default"/>.
    /// </summary>
    public IReadOnlyList<double>? Buckets { get; init; }

    /// <summary>
    /// When true, an observation that brings no exemplar takes one from <see cref="Activity.Current"/>: its trace and
    /// span ids as <c>trace_id</c> and <c>span_id</c>, kept as the latest exemplar of the observation's bucket. Off by
    /// default, since it reads the current activity on every observation.
    /// </summary>
    public bool ExemplarsFromActivity { get; init; }
}
