using Aria.Metrics.Cells;
using Aria.Metrics.Labels;
using static Aria.Metrics.Exposition.ProtobufFields;

namespace Aria.Metrics.Exposition;

/// <summary>
/// The Prometheus protobuf format: a stream of <c>io.prometheus.client.MetricFamily</c> messages, each preceded by its
/// length as a varint. Each family is encoded into a pooled buffer and copied out behind its length. Families without
/// series are left out, as client_golang does (the message would carry nothing but metadata): the header goes in with
/// the first series found, so a family whose series are all removed meanwhile is left out too. Counters and histograms
/// always carry their start timestamp (the series' creation) and their exemplars. A family's overflow series carries
/// the overflow label alone, as in the text formats.
/// </summary>
internal sealed class ProtobufEncoder : FormatEncoder
{
    /// <summary>The encoder.</summary>
    public static readonly ProtobufEncoder Instance = new();

    private const int InitialCapacity = 4096;

    private ProtobufEncoder()
    {
    }

    public override LabelEncoding LabelsOf(MetricFamily family) => ProtobufFamilyBytes.Of(family).Labels;

    public override void WriteCounters(ref ExpositionWriter writer, MetricFamily family, SeriesView<CounterSeries> series) =>
        WriteFamily(ref writer, family, series, default(CounterMessage));

    public override void WriteObservedCounters(ref ExpositionWriter writer, MetricFamily family, SeriesView<ObservedCounterSeries> series) =>
        WriteFamily(ref writer, family, series, default(ObservedCounterMessage));

    public override void WriteGauges(ref ExpositionWriter writer, MetricFamily family, SeriesView<GaugeSeries> series) =>
        WriteFamily(ref writer, family, series, default(GaugeMessage));

    public override void WriteHistograms(ref ExpositionWriter writer, Histogram family, SeriesView<HistogramSeries> series) =>
        WriteFamily(ref writer, family, series, new HistogramMessage(family));

    /// <summary>
    /// One family: its header with the first live series, then a <c>Metric</c> per series (labels, then the kind's own
    /// message that <typeparamref name="TMessage"/> writes), then its length and bytes. A struct writer, so each kind
    /// gets its own compiled loop and nothing is allocated.
    /// </summary>
    private static void WriteFamily<TSeries, TMessage>(ref ExpositionWriter writer, MetricFamily family, SeriesView<TSeries> series, TMessage message)
        where TSeries : Series
        where TMessage : struct, ISeriesMessage<TSeries>
    {
        if (!series.HasAny)
        {
            return;
        }

        // Room for what the family took last time, so that a large family is not grown (and copied) by doubling.
        ProtobufFamilyBytes familyBytes = ProtobufFamilyBytes.Of(family);
        var buffer = new ProtobufBuffer(Math.Max(InitialCapacity, familyBytes.LastLength + (familyBytes.LastLength / 8)));
        Span<byte> exemplar = stackalloc byte[ExemplarSlot.MaxEncodedLength];
        try
        {
            bool begun = false;
            ReadOnlySpan<TSeries?> positions = series.Positions;
            for (int i = 0; i < positions.Length; i++)
            {
                SeriesPrefetch.Ahead(positions, i);
                if (positions[i] is not { } one)
                {
                    continue;
                }

                if (!begun)
                {
                    buffer.Raw(familyBytes.Header);
                    begun = true;
                }

                int metric = buffer.BeginMessage(FamilyMetric);
                if (series.TryLabelsAt(i, out ReadOnlySpan<byte> labels))
                {
                    buffer.Raw(labels);
                }
                else
                {
                    familyBytes.Labels.Write(one, buffer.Append(familyBytes.Labels.LengthOf(one)));
                }

                message.Write(ref buffer, one, exemplar);
                buffer.EndMessage(metric);
            }

            if (begun)
            {
                familyBytes.LastLength = buffer.Written.Length;
                Flush(ref writer, ref buffer);
            }
        }
        finally
        {
            buffer.Dispose();
        }
    }

    public override void WriteInfo(ref ExpositionWriter writer, Info family, ReadOnlySpan<string> values, byte[]? labelText)
    {
        if (labelText is null)
        {
            return;
        }

        var buffer = new ProtobufBuffer(InitialCapacity);
        try
        {
            ProtobufLabels labels = Begin(ref buffer, family).Labels;
            int metric = buffer.BeginMessage(FamilyMetric);
            labels.Write(values, buffer.Append(labels.LengthOf(values)));
            WriteGauge(ref buffer, 1);
            buffer.EndMessage(metric);
            Flush(ref writer, ref buffer);
        }
        finally
        {
            buffer.Dispose();
        }
    }

    private static ProtobufFamilyBytes Begin(ref ProtobufBuffer buffer, MetricFamily family)
    {
        ProtobufFamilyBytes bytes = ProtobufFamilyBytes.Of(family);
        buffer.Raw(bytes.Header);
        return bytes;
    }

    /// <summary>
    /// The classic buckets, cumulative, from <paramref name="counts"/> or else read from <paramref name="classic"/>'s cells;
    /// returns the total, which is the count. The +Inf bucket is implied by the count; it is written only to carry an
    /// exemplar, as client_golang does.
    /// </summary>
    private static long WriteClassicBuckets(
        ref ProtobufBuffer buffer,
        ReadOnlySpan<double> bounds,
        ReadOnlySpan<long> counts,
        HistogramSeries? classic,
        HistogramExemplars? exemplars,
        scoped Span<byte> exemplar)
    {
        long cumulative = 0;
        for (int bucket = 0; bucket <= bounds.Length; bucket++)
        {
            cumulative = Saturation.AddCount(cumulative, classic is null ? counts[bucket] : classic.ReadBucket(bucket));
            scoped ExemplarReading reading = default;
            bool hasExemplar = exemplars is not null && ExemplarReading.TryRead(exemplars[bucket], exemplar, out reading);
            if (bucket == bounds.Length && !hasExemplar)
            {
                break;
            }

            int entry = buffer.BeginMessage(HistogramBucket);
            buffer.Varint(BucketCumulativeCount, (ulong)cumulative);
            buffer.Double(BucketUpperBound, bucket < bounds.Length ? bounds[bucket] : double.PositiveInfinity);
            if (hasExemplar)
            {
                WriteExemplar(ref buffer, BucketExemplar, reading);
            }

            buffer.EndMessage(entry);
        }

        return cumulative;
    }

    /// <summary>
    /// The native part: schema, zero bucket, and each sign's spans and count deltas. Gaps of up to two empty buckets are
    /// filled with zero deltas rather than opening a new span, as client_golang does; a histogram with no bucket and a
    /// zero threshold of 0 gets the no-op span that marks it as native.
    /// </summary>
    private static void WriteNativeBuckets(ref ProtobufBuffer buffer, scoped NativeHistogramReading reading)
    {
        buffer.Signed(HistogramSchema, reading.Schema);
        buffer.Double(HistogramZeroThreshold, reading.ZeroThreshold);
        buffer.Varint(HistogramZeroCount, (ulong)reading.ZeroCount);
        bool any = WriteSpansAndDeltas(ref buffer, reading.Negative, HistogramNegativeSpan, HistogramNegativeDelta);
        any |= WriteSpansAndDeltas(ref buffer, reading.Positive, HistogramPositiveSpan, HistogramPositiveDelta);
        if (!any && reading.ZeroThreshold == 0 && reading.ZeroCount == 0)
        {
            int span = buffer.BeginMessage(HistogramPositiveSpan);
            buffer.Signed(SpanOffset, 0);
            buffer.Varint(SpanLength, 0);
            buffer.EndMessage(span);
        }
    }

    /// <summary>Writes one sign's spans, then its deltas; false when it has no bucket.</summary>
    private static bool WriteSpansAndDeltas(ref ProtobufBuffer buffer, NativeBuckets.Cursor buckets, int spanField, int deltaField)
    {
        const int MaxFilledGap = 2;

        // Spans: the first offset is the first key, later ones the gap from the end of the previous span.
        NativeBuckets.Cursor spans = buckets;
        int previous = 0;
        int spanOffset = 0;
        int spanLength = 0;
        bool started = false;
        while (spans.MoveNext())
        {
            if (!started)
            {
                started = true;
                spanOffset = spans.Key;
                spanLength = 1;
            }
            else if (spans.Key - previous - 1 > MaxFilledGap)
            {
                WriteSpan(ref buffer, spanField, spanOffset, spanLength);
                spanOffset = spans.Key - previous - 1;
                spanLength = 1;
            }
            else
            {
                spanLength += spans.Key - previous;
            }

            previous = spans.Key;
        }

        if (!started)
        {
            return false;
        }

        WriteSpan(ref buffer, spanField, spanOffset, spanLength);

        // Deltas, across spans: each bucket's count less the previous bucket's, the filled gaps counting as zeros.
        int deltas = buffer.BeginMessage(deltaField);
        NativeBuckets.Cursor counts = buckets;
        long last = 0;
        bool first = true;
        while (counts.MoveNext())
        {
            if (!first && counts.Key - previous - 1 <= MaxFilledGap)
            {
                for (int gap = counts.Key - previous - 1; gap > 0; gap--)
                {
                    buffer.PackedSigned(-last);
                    last = 0;
                }
            }

            first = false;
            buffer.PackedSigned(counts.Count - last);
            last = counts.Count;
            previous = counts.Key;
        }

        buffer.EndMessage(deltas);
        return true;
    }

    private static void WriteSpan(ref ProtobufBuffer buffer, int field, int offset, int length)
    {
        int span = buffer.BeginMessage(field);
        buffer.Signed(SpanOffset, offset);
        buffer.Varint(SpanLength, (ulong)length);
        buffer.EndMessage(span);
    }

    /// <summary>
    /// A native histogram's own exemplar list (newer Prometheus reads exemplars of native histograms from it, and wants
    /// them timestamped, as ours always are): the latest exemplar of each classic bucket.
    /// </summary>
    private static void WriteNativeExemplars(ref ProtobufBuffer buffer, HistogramExemplars? exemplars, scoped Span<byte> exemplar)
    {
        if (exemplars is null)
        {
            return;
        }

        for (int bucket = 0; bucket < exemplars.Count; bucket++)
        {
            if (ExemplarReading.TryRead(exemplars[bucket], exemplar, out ExemplarReading reading))
            {
                WriteExemplar(ref buffer, ProtobufFields.HistogramExemplars, reading);
            }
        }
    }

    /// <summary>An <c>Exemplar</c> message: its labels, value and timestamp.</summary>
    private static void WriteExemplar(ref ProtobufBuffer buffer, int field, scoped ExemplarReading exemplar)
    {
        int message = buffer.BeginMessage(field);
        ExemplarReading.LabelCursor labels = exemplar.Labels;
        while (labels.MoveNext())
        {
            int pair = buffer.BeginMessage(ExemplarLabel);
            buffer.Utf8(LabelName, labels.Name);
            buffer.Utf8(LabelValue, labels.Value);
            buffer.EndMessage(pair);
        }

        buffer.Double(ExemplarValue, exemplar.Value);
        buffer.Timestamp(ExemplarTimestamp, exemplar.Ticks);
        buffer.EndMessage(message);
    }

    /// <summary>A <c>Metric</c>'s gauge message.</summary>
    private static void WriteGauge(ref ProtobufBuffer buffer, double value)
    {
        int gauge = buffer.BeginMessage(MetricGauge);
        buffer.Double(GaugeValue, value);
        buffer.EndMessage(gauge);
    }

    /// <summary>Writes the family's length and then its bytes.</summary>
    private static void Flush(ref ExpositionWriter writer, ref ProtobufBuffer buffer)
    {
        ReadOnlySpan<byte> message = buffer.Written;
        Span<byte> length = stackalloc byte[ProtobufBuffer.MaxVarintLength];
        writer.Write(length[..ProtobufBuffer.WriteVarint(length, (ulong)message.Length)]);
        writer.WriteChunked(message);
    }

    /// <summary>Writes the message of one series' kind inside its <c>Metric</c>, after the labels.</summary>
    private interface ISeriesMessage<in TSeries>
        where TSeries : Series
    {
        void Write(ref ProtobufBuffer buffer, TSeries series, scoped Span<byte> exemplar);
    }

    /// <summary>A counter's value, latest exemplar and start timestamp.</summary>
    private readonly struct CounterMessage : ISeriesMessage<CounterSeries>
    {
        public void Write(ref ProtobufBuffer buffer, CounterSeries counter, scoped Span<byte> exemplar)
        {
            int value = buffer.BeginMessage(MetricCounter);
            (long whole, double fraction) = counter.Read();
            buffer.Double(CounterValue, whole + fraction);
            if (ExemplarReading.TryRead(counter.LatestExemplar, exemplar, out ExemplarReading reading))
            {
                WriteExemplar(ref buffer, CounterExemplar, reading);
            }

            buffer.Timestamp(CounterStartTimestamp, counter.CreatedTicks);
            buffer.EndMessage(value);
        }
    }

    /// <summary>An observed counter's value: it has no exemplar and no start of its own.</summary>
    private readonly struct ObservedCounterMessage : ISeriesMessage<ObservedCounterSeries>
    {
        public void Write(ref ProtobufBuffer buffer, ObservedCounterSeries counter, scoped Span<byte> exemplar)
        {
            int value = buffer.BeginMessage(MetricCounter);
            buffer.Double(CounterValue, counter.Value);
            buffer.EndMessage(value);
        }
    }

    /// <summary>A gauge's value.</summary>
    private readonly struct GaugeMessage : ISeriesMessage<GaugeSeries>
    {
        public void Write(ref ProtobufBuffer buffer, GaugeSeries gauge, scoped Span<byte> exemplar) => WriteGauge(ref buffer, gauge.Value);
    }

    /// <summary>A histogram's classic buckets, and its native part when it has one, with exemplars and start timestamp.</summary>
    private readonly struct HistogramMessage(Histogram family) : ISeriesMessage<HistogramSeries>
    {
        public void Write(ref ProtobufBuffer buffer, HistogramSeries histogram, scoped Span<byte> exemplar)
        {
            int message = buffer.BeginMessage(MetricHistogram);
            if (histogram.Native is { } native)
            {
                // One consistent reading of every part, under the series' lock, which disposing releases.
                using NativeHistogramReading reading = native.Read();
                long count = WriteClassicBuckets(ref buffer, family.UpperBounds, reading.Classic, null, histogram.Exemplars, exemplar);
                buffer.Varint(HistogramSampleCount, (ulong)count);
                buffer.Double(HistogramSampleSum, reading.Sum);
                WriteNativeBuckets(ref buffer, reading);
                WriteNativeExemplars(ref buffer, histogram.Exemplars, exemplar);
                buffer.Timestamp(HistogramStartTimestamp, reading.StartTicks);
            }
            else
            {
                long count = WriteClassicBuckets(ref buffer, family.UpperBounds, default, histogram, histogram.Exemplars, exemplar);
                buffer.Varint(HistogramSampleCount, (ulong)count);
                buffer.Double(HistogramSampleSum, histogram.Sum);
                buffer.Timestamp(HistogramStartTimestamp, histogram.CreatedTicks);
            }

            buffer.EndMessage(message);
        }
    }
}
