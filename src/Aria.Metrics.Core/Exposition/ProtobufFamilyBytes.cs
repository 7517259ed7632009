using System.Text;

namespace Aria.Metrics.Exposition;

/// <summary>
/// What the protobuf format writes about a family itself, encoded once on its first protobuf scrape: the
/// <c>MetricFamily</c> name, help and type fields, and the <c>LabelPair.name</c> field of every label name (in its
/// <see cref="ProtobufLabels"/>).
/// </summary>
internal sealed class ProtobufFamilyBytes
{
    private ProtobufFamilyBytes(MetricFamily family)
    {
        var header = new ProtobufBuffer(256);
        try
        {
            // Counters and infos keep their suffix: Prometheus takes a protobuf family's name as its series name.
            header.String(ProtobufFields.FamilyName, family.Type == MetricType.Histogram || family.Type == MetricType.Gauge ? family.Name : family.SampleName);
            if (family.Help.Length != 0)
            {
                header.String(ProtobufFields.FamilyHelp, family.Help);
            }

            header.Varint(ProtobufFields.FamilyType, (ulong)TypeOf(family.Type));
            Header = header.Written.ToArray();
        }
        finally
        {
            header.Dispose();
        }

        var labelNames = new byte[family.LabelNames.Count][];
        for (int i = 0; i < labelNames.Length; i++)
        {
            labelNames[i] = EncodeString(ProtobufFields.LabelName, family.LabelNames[i]);
        }

        Labels = new ProtobufLabels(labelNames);
    }

    /// <summary>The family's name, help (when not empty) and type fields.</summary>
    public byte[] Header { get; }

    /// <summary>
    /// How many bytes the family's message took at its last protobuf scrape: where the next one starts its buffer.
    /// Scrapes racing to set it leave one of their lengths, any of which will do.
    /// </summary>
    public int LastLength { get; set; }

    /// <summary>The family's label pairs, with every label name's <c>LabelPair.name</c> field encoded once.</summary>
    public ProtobufLabels Labels { get; }

    /// <summary>The family's bytes, encoded on first use. Two scrapes racing to encode both succeed; one copy is kept.</summary>
    public static ProtobufFamilyBytes Of(MetricFamily family) => Volatile.Read(ref family.ProtobufBytes) ?? Create(family);

    /// <summary>A string field, encoded once.</summary>
    public static byte[] EncodeString(int field, string value)
    {
        var buffer = new ProtobufBuffer(64 + (value.Length * 3));
        try
        {
            buffer.String(field, value);
            return buffer.Written.ToArray();
        }
        finally
        {
            buffer.Dispose();
        }
    }

    private static ProtobufFamilyBytes Create(MetricFamily family)
    {
        var created = new ProtobufFamilyBytes(family);
        return Interlocked.CompareExchange(ref family.ProtobufBytes, created, null) ?? created;
    }

    // io.prometheus.client.MetricType; an info has no type of its own and is a gauge of value 1, as in text 0.0.4.
    private static int TypeOf(MetricType type) => type switch
    {
        MetricType.Counter => 0,
        MetricType.Histogram => 4,
        _ => 1,
    };
}
