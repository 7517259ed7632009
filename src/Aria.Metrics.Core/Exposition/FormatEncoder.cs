using Aria.Metrics.Labels;

namespace Aria.Metrics.Exposition;

/// <summary>
/// The one boundary between metrics and formats, as client_golang collects and then encodes. A family knows what kind
/// of data it holds and hands its series to the encoder by kind, once per family; the encoder reads each series through
/// its read members (<see cref="CounterSeries.Read"/>, <see cref="GaugeSeries.Value"/>, <see cref="HistogramSeries"/>'s
/// buckets) and knows everything about the bytes. The series come as a <see cref="SeriesView{TSeries}"/>: positions that
/// removal or expiry emptied are skipped, and each position is read once, since a removal may empty it meanwhile. So a new format is a new encoder, and no metric type changes.
/// The encoders are stateless singletons: a scrape allocates nothing for them, and concurrent scrapes share them.
/// </summary>
internal abstract class FormatEncoder
{
    /// <summary>The encoder of <paramref name="format"/>; <paramref name="createdSamples"/> adds OpenMetrics' <c>_created</c> samples.</summary>
    public static FormatEncoder For(ExpositionFormat format, bool createdSamples = false) => format switch
    {
        ExpositionFormat.OpenMetrics => createdSamples ? TextEncoder.OpenMetricsWithCreated : TextEncoder.OpenMetrics,
        ExpositionFormat.Protobuf => ProtobufEncoder.Instance,
        _ => TextEncoder.PrometheusText,
    };

    /// <summary>
    /// How the encoder writes a series' labels in <paramref name="family"/>, or null: families then hand it their series
    /// with the labels in one array (<see cref="LabelArena"/>), which a walk of many series reads much faster than one
    /// array per series, and which needs no encoding at the scrape.
    /// </summary>
    public virtual LabelEncoding? LabelsOf(MetricFamily family) => null;

    /// <summary>A counter family whose series count events.</summary>
    public abstract void WriteCounters(ref ExpositionWriter writer, MetricFamily family, SeriesView<CounterSeries> series);

    /// <summary>A counter family whose series hold readings of a monotonic source.</summary>
    public abstract void WriteObservedCounters(ref ExpositionWriter writer, MetricFamily family, SeriesView<ObservedCounterSeries> series);

    /// <summary>A gauge family.</summary>
    public abstract void WriteGauges(ref ExpositionWriter writer, MetricFamily family, SeriesView<GaugeSeries> series);

    /// <summary>A histogram family.</summary>
    public abstract void WriteHistograms(ref ExpositionWriter writer, Histogram family, SeriesView<HistogramSeries> series);

    /// <summary>An info family; <paramref name="labelText"/> is null while its values are unset (no sample then).</summary>
    public abstract void WriteInfo(ref ExpositionWriter writer, Info family, ReadOnlySpan<string> values, byte[]? labelText);

    /// <summary>Whatever the format puts after the last family.</summary>
    public virtual void End(ref ExpositionWriter writer)
    {
    }
}
