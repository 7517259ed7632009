using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Aria.Metrics.Cells;
using Aria.Metrics.Labels;

namespace Aria.Metrics.Exposition;

/// <summary>
/// Prometheus text 0.0.4 and OpenMetrics 1.0.0: one encoder for both, since they share the sample line and differ in a
/// few rules (family naming in the header, canonical <c>le</c> values, what may sit beside negative buckets, exemplars
/// and <c>_created</c> samples, the closing <c># EOF</c>). Every line is pre-encoded bytes around one number.
/// </summary>
internal sealed class TextEncoder : FormatEncoder
{
    /// <summary>Prometheus text format 0.0.4.</summary>
    public static readonly TextEncoder PrometheusText = new(openMetrics: false, createdSamples: false);

    /// <summary>OpenMetrics 1.0.0 text.</summary>
    public static readonly TextEncoder OpenMetrics = new(openMetrics: true, createdSamples: false);

    /// <summary>OpenMetrics 1.0.0 text with a <c>_created</c> sample after every counter and histogram series.</summary>
    public static readonly TextEncoder OpenMetricsWithCreated = new(openMetrics: true, createdSamples: true);

    // Native series with up to this many classic buckets are read into the stack; more, into a pooled array.
    private const int MaxStackBuckets = 128;

    private readonly bool _openMetrics;
    private readonly bool _createdSamples;

    private TextEncoder(bool openMetrics, bool createdSamples)
    {
        _openMetrics = openMetrics;
        _createdSamples = createdSamples;
    }

    public override LabelEncoding LabelsOf(MetricFamily family) => TextLabels.Instance;

    public override void WriteCounters(ref ExpositionWriter writer, MetricFamily family, SeriesView<CounterSeries> view)
    {
        TextFamilyBytes text = Begin(ref writer, family);
        byte[] name = text.SampleName;
        ReadOnlySpan<CounterSeries?> series = view.Positions;
        for (int i = 0; i < series.Length; i++)
        {
            SeriesPrefetch.Ahead(series, i);
            if (series[i] is not { } counter)
            {
                continue;
            }

            // Exactly an integer while no fraction was ever added.
            (long whole, double fraction) = counter.Read();
            ReadOnlySpan<byte> labelText = view.LabelTextAt(i, counter);
            if (fraction == 0)
            {
                writer.WriteSample(name, labelText, whole);
            }
            else
            {
                writer.WriteSample(name, labelText, whole + fraction);
            }

            if (_openMetrics && (_createdSamples || counter.LatestExemplar is not null))
            {
                AppendCounterExtras(ref writer, text, labelText, counter);
            }
        }
    }

    public override void WriteObservedCounters(ref ExpositionWriter writer, MetricFamily family, SeriesView<ObservedCounterSeries> view)
    {
        byte[] name = Begin(ref writer, family).SampleName;
        ReadOnlySpan<ObservedCounterSeries?> series = view.Positions;
        for (int i = 0; i < series.Length; i++)
        {
            SeriesPrefetch.Ahead(series, i);
            if (series[i] is { } counter)
            {
                writer.WriteSample(name, view.LabelTextAt(i, counter), counter.Value);
            }
        }
    }

    public override void WriteGauges(ref ExpositionWriter writer, MetricFamily family, SeriesView<GaugeSeries> view)
    {
        byte[] name = Begin(ref writer, family).SampleName;
        ReadOnlySpan<GaugeSeries?> series = view.Positions;
        for (int i = 0; i < series.Length; i++)
        {
            SeriesPrefetch.Ahead(series, i);
            if (series[i] is { } gauge)
            {
                writer.WriteSample(name, view.LabelTextAt(i, gauge), gauge.Value);
            }
        }
    }

    public override void WriteHistograms(ref ExpositionWriter writer, Histogram family, SeriesView<HistogramSeries> view)
    {
        TextFamilyBytes text = Begin(ref writer, family);
        byte[][] tails = _openMetrics ? text.OpenMetricsBucketTails : text.TextBucketTails;
        bool hasNegativeBounds = family.UpperBounds.Length != 0 && family.UpperBounds[0] < 0;
        Span<byte> exemplar = _openMetrics ? stackalloc byte[ExemplarSlot.MaxEncodedLength] : default;

        // A series with native buckets is read whole, under its lock, into these counts; text formats carry its classic part.
        long[]? rented = family.Native is not null && tails.Length > MaxStackBuckets ? ArrayPool<long>.Shared.Rent(tails.Length) : null;
        Span<long> nativeCounts = family.Native is null ? default : rented ?? stackalloc long[MaxStackBuckets];
        try
        {
            ReadOnlySpan<HistogramSeries?> series = view.Positions;
            for (int i = 0; i < series.Length; i++)
            {
                SeriesPrefetch.Ahead(series, i);
                if (series[i] is not { } histogram)
                {
                    continue;
                }

                ReadOnlySpan<byte> labelText = view.LabelTextAt(i, histogram);
                ReadOnlySpan<byte> pairs = LabelBlock.Pairs(labelText);
                HistogramExemplars? exemplars = _openMetrics ? histogram.Exemplars : null;
                NativeHistogramCells? native = histogram.Native;
                double sum = 0;
                long createdTicks = histogram.CreatedTicks;
                if (native is not null)
                {
                    using NativeHistogramReading reading = native.Read();
                    reading.Classic.CopyTo(nativeCounts);
                    sum = reading.Sum;
                    createdTicks = reading.StartTicks;
                }

                long cumulative = 0;
                for (int bucket = 0; bucket < tails.Length; bucket++)
                {
                    cumulative = Saturation.AddCount(cumulative, native is null ? histogram.ReadBucket(bucket) : nativeCounts[bucket]);
                    writer.WriteBucket(text.BucketNameAndBrace, pairs, tails[bucket], cumulative);
                    if (exemplars is not null && ExemplarReading.TryRead(exemplars[bucket], exemplar, out ExemplarReading reading))
                    {
                        AppendExemplar(ref writer, reading);
                    }
                }

                if (native is null)
                {
                    sum = histogram.Sum;
                }

                if (!_openMetrics || !(hasNegativeBounds || !(sum >= 0)))
                {
                    // OpenMetrics forbids a _sum beside negative buckets and a negative or NaN _sum (it is counter-like; a NaN
                    // comes from overflowing observations), and wants _count only beside _sum; the +Inf bucket still carries the count.
                    writer.WriteSample(text.SumName, labelText, sum);

                    // The count is the +Inf bucket as read above, never a second read that could disagree with it.
                    writer.WriteSample(text.CountName, labelText, cumulative);
                }

                if (_createdSamples)
                {
                    writer.WriteSample(text.CreatedName, labelText, Seconds(createdTicks));
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<long>.Shared.Return(rented);
            }
        }
    }

    public override void WriteInfo(ref ExpositionWriter writer, Info family, ReadOnlySpan<string> values, byte[]? labelText)
    {
        byte[] name = Begin(ref writer, family).SampleName;
        if (labelText is not null)
        {
            writer.WriteSample(name, labelText, 1L);
        }
    }

    public override void End(ref ExpositionWriter writer)
    {
        if (_openMetrics)
        {
            writer.Write("# EOF\n"u8);
        }
    }

    /// <summary>
    /// OpenMetrics' additions to a counter's line: its exemplar and its <c>_created</c> sample. Out of the walk's loop,
    /// which most series pass through without either, so that the loop keeps its locals in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AppendCounterExtras(ref ExpositionWriter writer, TextFamilyBytes text, ReadOnlySpan<byte> labelText, CounterSeries counter)
    {
        Span<byte> exemplar = stackalloc byte[ExemplarSlot.MaxEncodedLength];
        if (ExemplarReading.TryRead(counter.LatestExemplar, exemplar, out ExemplarReading reading))
        {
            AppendExemplar(ref writer, reading);
        }

        if (_createdSamples)
        {
            writer.WriteSample(text.CreatedName, labelText, Seconds(counter.CreatedTicks));
        }
    }

    /// <summary>Unix seconds, as OpenMetrics' <c>_created</c> samples count them.</summary>
    private static double Seconds(long ticks) => (ticks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerSecond;

    /// <summary>Continues the sample line just written with <c> # {labels} value timestamp</c>.</summary>
    private static void AppendExemplar(ref ExpositionWriter writer, scoped ExemplarReading exemplar)
    {
        writer.ReopenLine();
        writer.Write(" # {"u8);
        bool first = true;
        ExemplarReading.LabelCursor labels = exemplar.Labels;
        while (labels.MoveNext())
        {
            if (!first)
            {
                writer.Write(","u8);
            }

            first = false;
            writer.Write(labels.Name);
            writer.Write("=\""u8);
            WriteEscaped(ref writer, labels.Value);
            writer.Write("\""u8);
        }

        Span<byte> number = stackalloc byte[NumberFormatter.MaxLength + 1];
        number[0] = (byte)'}';
        number[1] = (byte)' ';
        writer.Write(number[..2]);
        writer.Write(number[..NumberFormatter.WriteDouble(exemplar.Value, number)]);

        // The timestamp in seconds with millisecond digits, as OpenMetrics counts time.
        long milliseconds = exemplar.UnixMilliseconds;
        number[0] = (byte)' ';
        (milliseconds / 1000).TryFormat(number[1..], out int digits, default, CultureInfo.InvariantCulture);
        int length = 1 + digits;
        writer.Write(number[..length]);
        long fraction = milliseconds % 1000;
        number[0] = (byte)'.';
        number[1] = (byte)('0' + (fraction / 100));
        number[2] = (byte)('0' + (fraction / 10 % 10));
        number[3] = (byte)('0' + (fraction % 10));
        number[4] = (byte)'\n';
        writer.Write(number[..5]);
    }

    /// <summary>A label value with OpenMetrics' escapes: backslash, double quote and line feed.</summary>
    private static void WriteEscaped(ref ExpositionWriter writer, scoped ReadOnlySpan<byte> value)
    {
        while (true)
        {
            int special = value.IndexOfAny((byte)'\\', (byte)'"', (byte)'\n');
            if (special < 0)
            {
                writer.Write(value);
                return;
            }

            writer.Write(value[..special]);
            writer.Write(value[special] switch
            {
                (byte)'\\' => "\\\\"u8,
                (byte)'"' => "\\\""u8,
                _ => "\\n"u8,
            });
            value = value[(special + 1)..];
        }
    }

    /// <summary>Writes the family's HELP and TYPE lines and returns its pre-encoded bytes.</summary>
    private TextFamilyBytes Begin(ref ExpositionWriter writer, MetricFamily family)
    {
        TextFamilyBytes text = TextFamilyBytes.Of(family);
        writer.Write(_openMetrics ? text.OpenMetricsHeader : text.TextHeader);
        return text;
    }
}
