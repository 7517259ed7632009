namespace Aria.Metrics.Exposition;

/// <summary>
/// The field numbers of <c>io.prometheus.client</c>'s <c>metrics.proto</c> that we write. The start timestamps and a
/// native histogram's exemplars are newer than the client_model 0.3 schema that Debian ships; older readers skip them.
/// </summary>
internal static class ProtobufFields
{
    public const int FamilyName = 1;
    public const int FamilyHelp = 2;
    public const int FamilyType = 3;
    public const int FamilyMetric = 4;

    public const int MetricLabel = 1;
    public const int MetricGauge = 2;
    public const int MetricCounter = 3;
    public const int MetricHistogram = 7;

    public const int LabelName = 1;
    public const int LabelValue = 2;

    public const int GaugeValue = 1;

    public const int CounterValue = 1;
    public const int CounterExemplar = 2;
    public const int CounterStartTimestamp = 3;

    public const int HistogramSampleCount = 1;
    public const int HistogramSampleSum = 2;
    public const int HistogramBucket = 3;
    public const int HistogramSchema = 5;
    public const int HistogramZeroThreshold = 6;
    public const int HistogramZeroCount = 7;
    public const int HistogramNegativeSpan = 9;
    public const int HistogramNegativeDelta = 10;
    public const int HistogramPositiveSpan = 12;
    public const int HistogramPositiveDelta = 13;
    public const int HistogramStartTimestamp = 15;
    public const int HistogramExemplars = 16;

    public const int BucketCumulativeCount = 1;
    public const int BucketUpperBound = 2;
    public const int BucketExemplar = 3;

    public const int SpanOffset = 1;
    public const int SpanLength = 2;

    public const int ExemplarLabel = 1;
    public const int ExemplarValue = 2;
    public const int ExemplarTimestamp = 3;

    public const int TimestampSeconds = 1;
    public const int TimestampNanos = 2;
}
