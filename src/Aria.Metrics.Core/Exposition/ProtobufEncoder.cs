using Aria.Metrics.Cells;
using static Aria.Metrics.Exposition.ProtobufFields;

namespace Aria.Metrics.Exposition;

/// <summary>
/// The Prometheus protobuf format: a stream of <c>io.prometheus.client.MetricFamily</c> messages, each preceded by its
/// length as a varint. Each family is encoded into a pooled buffer and copied out behind its length. Families without
/// series are left out, as client_golang does (the message would carry nothing but metadata). Counters and histograms
/// always carry their start timestamp (the series' creation) and their exemplars.
/// </summary>
internal sealed class ProtobufEncoder : FormatEncoder
{
    /// <summary>The encoder.</summary>
    public static readonly ProtobufEncoder Instance = new();

    private const int InitialCapacity = 4096;

    private ProtobufEncoder()
    {
    }

    public override void WriteCounters(ref ExpositionWriter writer, MetricFamily family, ReadOnlySpan<CounterSeries> series)
    {
        if (series.IsEmpty)
        {
            return;
        }

        var buffer = new ProtobufBuffer(InitialCapacity);
        Span<byte> exemplar = stackalloc byte[ExemplarSlot.MaxEncodedLength];
        try
        {
            ProtobufFamilyBytes bytes = Begin(ref buffer, family);
            foreach (CounterSeries counter in series)
            {
                int metric = BeginMetric(ref buffer, bytes, counter.Key);
                int value = buffer.BeginMessage(MetricCounter);
                (long whole, double fraction) = counter.Read();
                buffer.Double(CounterValue, whole + fraction);
                if (ExemplarReading.TryRead(counter.LatestExemplar, exemplar, out ExemplarReading reading))
                {
                    WriteExemplar(ref buffer, CounterExemplar, reading);
                }

                buffer.Timestamp(CounterStartTimestamp, counter.CreatedTicks);
                buffer.EndMessage(value);
                buffer.EndMessage(metric);
            }

            Flush(ref writer, ref buffer);
        }
        finally
        {
            buffer.Dispose();
        }
    }

    public override void WriteObservedCounters(ref ExpositionWriter writer, MetricFamily family, ReadOnlySpan<ObservedCounterSeries> series)
    {
        if (series.IsEmpty)
        {
            return;
        }

        var buffer = new ProtobufBuffer(InitialCapacity);
        try
        {
            ProtobufFamilyBytes bytes = Begin(ref buffer, family);
            foreach (ObservedCounterSeries counter in series)
            {
                int metric = BeginMetric(ref buffer, bytes, counter.Key);
                int value = buffer.BeginMessage(MetricCounter);
                buffer.Double(CounterValue, counter.Value);
                buffer.EndMessage(value);
                buffer.EndMessage(metric);
            }

            Flush(ref writer, ref buffer);
        }
        finally
        {
            buffer.Dispose();
        }
    }

    public override void WriteGauges(ref ExpositionWriter writer, MetricFamily family, ReadOnlySpan<GaugeSeries> series)
    {
        if (series.IsEmpty)
        {
            return;
        }

        var buffer = new ProtobufBuffer(InitialCapacity);
        try
        {
            ProtobufFamilyBytes bytes = Begin(ref buffer, family);
            foreach (GaugeSeries gauge in series)
            {
                WriteGauge(ref buffer, bytes, gauge.Key, gauge.Value);
            }

            Flush(ref writer, ref buffer);
        }
        finally
        {
            buffer.Dispose();
        }
    }

    public override void WriteHistograms(ref ExpositionWriter writer, Histogram family, ReadOnlySpan<HistogramSeries> series)
    {
        if (series.IsEmpty)
        {
            return;
        }

        ReadOnlySpan<double> bounds = family.UpperBounds;
        var buffer = new ProtobufBuffer(InitialCapacity);
        Span<byte> exemplar = stackalloc byte[ExemplarSlot.MaxEncodedLength];
        try
        {
            ProtobufFamilyBytes bytes = Begin(ref buffer, family);
            foreach (HistogramSeries histogram in series)
            {
                int metric = BeginMetric(ref buffer, bytes, histogram.Key);
                int message = buffer.BeginMessage(MetricHistogram);
                HistogramExemplars? exemplars = histogram.Exemplars;

                // Classic buckets, cumulative. The +Inf bucket is implied by the count, which is the total read here; it is
                // written only to carry an exemplar, as client_golang does.
                long cumulative = 0;
                for (int bucket = 0; bucket <= bounds.Length; bucket++)
                {
                    cumulative += histogram.ReadBucket(bucket);
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

                buffer.Varint(HistogramSampleCount, (ulong)cumulative);
                buffer.Double(HistogramSampleSum, histogram.Sum);
                buffer.Timestamp(HistogramStartTimestamp, histogram.CreatedTicks);
                buffer.EndMessage(message);
                buffer.EndMessage(metric);
            }

            Flush(ref writer, ref buffer);
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
            WriteGauge(ref buffer, Begin(ref buffer, family), values, 1);
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

    /// <summary>Starts a <c>Metric</c> and writes its labels; returns where its length goes.</summary>
    private static int BeginMetric(ref ProtobufBuffer buffer, ProtobufFamilyBytes bytes, ReadOnlySpan<string> labelValues)
    {
        int metric = buffer.BeginMessage(FamilyMetric);
        for (int i = 0; i < labelValues.Length; i++)
        {
            int pair = buffer.BeginMessage(MetricLabel);
            buffer.Raw(bytes.LabelNames[i]);
            buffer.String(LabelValue, labelValues[i]);
            buffer.EndMessage(pair);
        }

        return metric;
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

    private static void WriteGauge(ref ProtobufBuffer buffer, ProtobufFamilyBytes bytes, ReadOnlySpan<string> labelValues, double value)
    {
        int metric = BeginMetric(ref buffer, bytes, labelValues);
        int gauge = buffer.BeginMessage(MetricGauge);
        buffer.Double(GaugeValue, value);
        buffer.EndMessage(gauge);
        buffer.EndMessage(metric);
    }

    /// <summary>Writes the family's length and then its bytes.</summary>
    private static void Flush(ref ExpositionWriter writer, ref ProtobufBuffer buffer)
    {
        ReadOnlySpan<byte> message = buffer.Written;
        Span<byte> length = stackalloc byte[ProtobufBuffer.MaxVarintLength];
        writer.Write(length[..ProtobufBuffer.WriteVarint(length, (ulong)message.Length)]);
        writer.WriteChunked(message);
    }
}
