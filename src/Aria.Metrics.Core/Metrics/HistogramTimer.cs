using System.Diagnostics;

namespace Aria.Metrics;

/// <summary>
/// Times a block on the monotonic <see cref="Stopwatch"/> clock and observes the elapsed seconds into a histogram
/// series when disposed. A struct, so that <c>using var timer = series.StartTimer();</c> allocates nothing.
/// </summary>
public readonly struct HistogramTimer : IDisposable, IEquatable<HistogramTimer>
{
    private readonly HistogramSeries? _series;
    private readonly long _started;

    internal HistogramTimer(HistogramSeries series)
    {
        _series = series;
        _started = Stopwatch.GetTimestamp();
    }

    /// <summary>The seconds elapsed since the timer started.</summary>
    public double ElapsedSeconds => (Stopwatch.GetTimestamp() - _started) / (double)Stopwatch.Frequency;

    /// <summary>Observes the elapsed seconds. A default timer does nothing.</summary>
    public void Dispose() => _series?.Observe(ElapsedSeconds);

    /// <inheritdoc />
    public bool Equals(HistogramTimer other) => ReferenceEquals(_series, other._series) && _started == other._started;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is HistogramTimer other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_series, _started);

    /// <summary>Whether two timers are the same.</summary>
    public static bool operator ==(HistogramTimer left, HistogramTimer right) => left.Equals(right);

    /// <summary>Whether two timers differ.</summary>
    public static bool operator !=(HistogramTimer left, HistogramTimer right) => !left.Equals(right);
}
