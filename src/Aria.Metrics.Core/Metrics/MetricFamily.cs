using Aria.Metrics.Exposition;

namespace Aria.Metrics;

/// <summary>
/// A named metric with its help text, type and label names: the unit of registration and of exposition. A family knows
/// its data, not the formats: a scrape hands its series to a format's encoder (see <see cref="Collect"/>).
/// </summary>
public abstract class MetricFamily
{
    /// <summary>
    /// The label of the overflow series: <c>metrics_overflow="true"</c>, alone, on the one series of a family that takes
    /// the measurements of label sets refused by its series limit. No family may declare a label of this name.
    /// </summary>
    public const string OverflowLabelName = "metrics_overflow";

    /// <summary>What the text formats write about this family, encoded on its first text scrape (see <see cref="TextFamilyBytes"/>).</summary>
    internal TextFamilyBytes? TextBytes;

    /// <summary>What the protobuf format writes about this family, encoded on its first protobuf scrape.</summary>
    internal ProtobufFamilyBytes? ProtobufBytes;

    private readonly string[] _labelNames;

    private protected MetricFamily(MetricType type, string name, string help, string[] labelNames, string suffix)
    {
        Type = type;
        Name = name;
        Help = help;
        _labelNames = labelNames;

        // Counters and infos are named without their sample suffix in OpenMetrics, and with it in text 0.0.4.
        FamilyName = suffix.Length != 0 && name.EndsWith(suffix, StringComparison.Ordinal) && name.Length > suffix.Length
            ? name[..^suffix.Length]
            : name;
        SampleName = FamilyName + suffix;
    }

    /// <summary>The name the family was registered with.</summary>
    public string Name { get; }

    /// <summary>The help text.</summary>
    public string Help { get; }

    /// <summary>The kind of metric.</summary>
    public MetricType Type { get; }

    /// <summary>The label names every series of the family carries, in order.</summary>
    public IReadOnlyList<string> LabelNames => _labelNames;

    /// <summary>The number of series the family exposes now.</summary>
    public abstract int SeriesCount { get; }

    /// <summary>The OpenMetrics family name: the registered name without a counter's <c>_total</c> or an info's <c>_info</c>.</summary>
    internal string FamilyName { get; }

    /// <summary>The name of the family's main samples: <c>_total</c> added for counters, <c>_info</c> for infos.</summary>
    internal string SampleName { get; }

    /// <summary>The label names as a private array.</summary>
    internal string[] LabelNameArray => _labelNames;

    /// <summary>
    /// Every sample name the family can write, in any format, and those OpenMetrics reserves for it; no two families may
    /// share one. A counter reserves OpenMetrics' <c>_created</c> even while those samples are off, so that turning them
    /// on can never make a scrape unparsable.
    /// </summary>
    internal virtual IEnumerable<string> ExposedNames =>
        Type == MetricType.Counter ? [SampleName, FamilyName + "_created"] : [SampleName];

    /// <summary>The registry the family is registered in; set once, at registration.</summary>
    internal MetricRegistry? Registry { get; set; }

    /// <summary>Runs scrape-time upkeep (expiry, re-attaching removed series that were updated), then collects into the encoder.</summary>
    internal void Write(FormatEncoder encoder, ref ExpositionWriter writer)
    {
        Maintain();
        Collect(encoder, ref writer);
    }

    /// <summary>The registry's default series limit changed; families that follow it look for room again.</summary>
    internal virtual void OnSeriesLimitChanged()
    {
    }

    /// <summary>Hands the family and every attached series, in a stable order, to the encoder's method for this kind of data.</summary>
    internal abstract void Collect(FormatEncoder encoder, ref ExpositionWriter writer);

    /// <summary>Scrape-time upkeep of the family's series (expiry, re-attaching removed series that were updated).</summary>
    private protected virtual void Maintain()
    {
    }

    /// <summary>What differs between this family's definition and <paramref name="other"/>'s, or null when they are the same.</summary>
    internal virtual string? DescribeDifference(MetricFamily other)
    {
        if (Type != other.Type)
        {
            return $"it is a {Type.ToString().ToLowerInvariant()}, not a {other.Type.ToString().ToLowerInvariant()}";
        }

        if (Help != other.Help)
        {
            return $"its help text is \"{Help}\", not \"{other.Help}\"";
        }

        if (!_labelNames.AsSpan().SequenceEqual(other._labelNames))
        {
            return $"its label names are ({string.Join(", ", _labelNames)}), not ({string.Join(", ", other._labelNames)})";
        }

        return null;
    }

    /// <summary>Validates a metric name and help text, throwing naming the metric.</summary>
    internal static void ValidateDefinition(string name, string help)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(help);
        if (!NameRules.IsValidMetricName(name) || NameRules.IsReserved(name))
        {
            Errors.InvalidMetricName(name);
        }

        if (!Escaping.IsWellFormed(help))
        {
            Errors.InvalidHelp(name, "it is not well-formed UTF-16 (a lone surrogate)");
        }
    }
}
