using Aria.Metrics.Exposition;
using Aria.Metrics.Labels;

namespace Aria.Metrics.Server.Tests.Support;

/// <summary>
/// A family whose writing fails after its first sample, the given number of times, as a bug or a corrupted series
/// would: the body is well under way when the exception comes.
/// </summary>
internal sealed class ThrowingFamily(string name, int failures) : MetricFamily(MetricType.Gauge, name, "Fails while its samples are written.", [], string.Empty)
{
    private readonly GaugeSeries[] _series = [NewSeries(name)];
    private int _failuresLeft = failures;

    public override int SeriesCount => 1;

    /// <summary>Registers a family that fails <paramref name="failures"/> times in <paramref name="registry"/>.</summary>
    public static ThrowingFamily AddTo(MetricRegistry registry, string name, int failures) => registry.Register(new ThrowingFamily(name, failures));

    internal override void Collect(FormatEncoder encoder, ref ExpositionWriter writer)
    {
        // Its sample goes out first, so that the failure comes with part of the body already written.
        encoder.WriteGauges(ref writer, this, new SeriesView<GaugeSeries>(_series, _series.Length));
        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            throw new InvalidOperationException($"The series of {Name} are corrupt.");
        }
    }

    private static GaugeSeries NewSeries(string name)
    {
        var series = new GaugeSeries(name, [], LabelBlock.None);
        series.Set(1);
        return series;
    }
}
