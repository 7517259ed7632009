using System.Diagnostics;

namespace Aria.Metrics;

/// <summary>
/// How a histogram family buckets its observations, beyond its name, help and labels: classic buckets with fixed bounds,
/// native buckets (Prometheus' sparse exponential buckets, exposed in the protobuf format only), or both side by side.
/// The native settings follow client_golang's <c>HistogramOpts</c>.
/// </summary>
public sealed class HistogramOptions
{
    /// <summary>A <see cref="NativeZeroThreshold"/> for a zero bucket of width zero: only exact zeros go there.</summary>
    public const double NativeZeroThresholdZero = -1;

    /// <summary>
    /// The upper bounds of the classic buckets (<c>+Inf</c> is implied). Null gives <see cref="Metrics.Buckets.Default"/>,
    /// or, when native buckets are on, no classic buckets at all (only <c>+Inf</c>); an empty list is allowed only then.
    /// </summary>
    public IReadOnlyList<double>? Buckets { get; init; }

    /// <summary>
    /// Turns native buckets on when above 1: each bucket's upper bound is at most this factor times the one below it. The
    /// factor picks the schema (1.1 gives schema 3, buckets about 9% wide; 2 gives schema 0, a bucket per power of two),
    /// clamped to the standard schemas -4 to 8. 0, the default, leaves native buckets off.
    /// </summary>
    public double NativeBucketFactor { get; init; }

    /// <summary>
    /// The half-width of the zero bucket, which counts observations of magnitude up to it. 0 gives 2^-128 (a boundary at
    /// every schema); <see cref="NativeZeroThresholdZero"/> gives a zero bucket for exact zeros only.
    /// </summary>
    public double NativeZeroThreshold { get; init; }

    /// <summary>
    /// The most populated native buckets a series keeps (client_golang suggests 100 to 160); 0, the default, sets no limit.
    /// Past it the series is reset if <see cref="NativeMinResetDuration"/> has passed since its last reset; otherwise the
    /// zero bucket widens (up to <see cref="NativeMaxZeroThreshold"/>), or else the resolution halves.
    /// </summary>
    public int NativeMaxBucketCount { get; init; }

    /// <summary>How long after a reset the bucket limit may reset a series again (typically an hour); zero never resets.</summary>
    public TimeSpan NativeMinResetDuration { get; init; }

    /// <summary>How wide the bucket limit may grow the zero bucket; 0, the default, never widens it.</summary>
    public double NativeMaxZeroThreshold { get; init; }

    /// <summary>
    /// When true, an observation that brings no exemplar takes one from <see cref="Activity.Current"/>: its trace and
    /// span ids as <c>trace_id</c> and <c>span_id</c>, kept as the latest exemplar of the observation's bucket. Off by
    /// default, since it reads the current activity on every observation.
    /// </summary>
    public bool ExemplarsFromActivity { get; init; }
}
