using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Aria.Metrics.Meters;

/// <summary>
/// A bridged instrument and its family, which is registered at its first measurement: the label names are the
/// sanitised keys of that measurement's tags, with those the semantic conventions give the platform's own instruments
/// (<see cref="SemanticConventions"/>), sorted. Later measurements fill the labels from their tags; a missing
/// tag is the empty value (which Prometheus reads as no label), and a tag the family has no label for is left out and
/// counted. The hot path recognises the call site's tag layout by reference and finds the series in a
/// <see cref="TagIndex{TSeries}"/>; everything else goes through <see cref="Resolve"/>.
/// </summary>
/// <typeparam name="TSeries">The series type of the family.</typeparam>
internal abstract class BridgedInstrument<TSeries> : BridgedInstrument
    where TSeries : Series
{
    /// <summary>Past this many tag layouts (key sets and orders) an instrument stops remembering new ones.</summary>
    private const int MaxLayouts = 32;

    private readonly Lock _gate = new();
    private MetricFamily<TSeries>? _family;
    private TagIndex<TSeries>? _index;
    private TagLayout? _layout;
    private TagLayout[] _layouts = [];
    private volatile bool _refused;

    private protected BridgedInstrument(MeterBridge bridge, Instrument instrument, string metricName)
        : base(bridge, instrument, metricName)
    {
    }

    /// <summary>The family, once the first measurement registered it.</summary>
    internal MetricFamily<TSeries>? Family => Volatile.Read(ref _family);

    /// <summary>Whether the instrument was refused and records nothing.</summary>
    internal bool IsRefused => _refused;

    /// <summary>Makes the family, validated, for the registry to register: the subclass knows its kind.</summary>
    internal abstract MetricFamily<TSeries> NewFamily(string[] labelNames);

    /// <summary>The series of a measurement with these tags, or null when it cannot be recorded (reported already).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected TSeries? SeriesOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // Layouts that drop tags are never the remembered one: their measurements are counted on the slow path.
        TagLayout? layout = _layout;
        if (layout is not null && layout.MatchesByIdentity(tags) && _index!.Find(tags, layout.TagOfLabel) is { } series)
        {
            return series;
        }

        return Resolve(tags);
    }

    /// <summary>Counts a measurement whose value the family cannot take; described (and reported) once per instrument.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private protected void DropInvalidValue(double value)
    {
        string? detail = FirstReportOf(MeterProblemKind.InvalidValue)
            ? $"{Instrument.GetType().Name.Split('`')[0]} measured {value.ToString(CultureInfo.InvariantCulture)}, which metric '{MetricName}' cannot record"
            : null;
        Bridge.DropMeasurement(this, MeterProblemKind.InvalidValue, detail);
    }

    /// <summary>The slow path: a new layout, a new label set, the first measurement, or a refused instrument.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private TSeries? Resolve(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_refused)
        {
            return null;
        }

        try
        {
            MetricFamily<TSeries>? family = Volatile.Read(ref _family) ?? Register(tags);
            if (family is null)
            {
                return null;
            }

            TagLayout layout = LayoutOf(tags, family);
            TSeries series = _index!.Find(tags, layout.TagOfLabel) ?? AddSeries(tags, layout, family);
            if (layout.DropsTags)
            {
                Bridge.DropTags(this, tags, family);
            }

            return series;
        }
#pragma warning disable CA1031 // Whatever goes wrong here must not reach the caller's Add: it is counted and reported.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Bridge.DropMeasurement(this, MeterProblemKind.InvalidTag, FirstReportOf(MeterProblemKind.InvalidTag) ? exception.Message : null);
            return null;
        }
    }

    private MetricFamily<TSeries>? Register(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string[] labelNames = LabelNamesOf(tags);
        lock (_gate)
        {
            if (_family is not null || _refused)
            {
                return _family;
            }

            MetricFamily<TSeries>? family = Bridge.FamilyFor(this, labelNames);
            if (family is null)
            {
                _refused = true;
                return null;
            }

            // The series limit applies to bridged families as to any; the index keeps at most twice that many entries.
            _index = new TagIndex<TSeries>(Math.Max(64, (int)Math.Min(family.SeriesLimit * 2L, 1 << 20)));
            Volatile.Write(ref _family, family);
            return family;
        }
    }

    /// <summary>The label names a first measurement's tags give: sanitised, usable, distinct, sorted.</summary>
    private string[] LabelNamesOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var keys = new List<string>(SemanticConventions.TagsOf(Instrument.Name));
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag.Key is not null && !keys.Contains(tag.Key))
            {
                keys.Add(tag.Key);
            }
        }

        // Sorted by the original keys, so that of two keys that sanitise alike (a.b and a_b) the same one always wins.
        keys.Sort(StringComparer.Ordinal);
        var names = new List<string>(keys.Count);
        foreach (string key in keys)
        {
            if (UsableLabel(key) is { } name && !names.Contains(name))
            {
                names.Add(name);
            }
        }

        names.Sort(StringComparer.Ordinal);
        return [.. names];
    }

    /// <summary>The label a tag key gives, or null when none can carry it (it sanitises to nothing or to a reserved name).</summary>
    private string? UsableLabel(string key)
    {
        string? name = PrometheusNames.LabelName(key);
        bool reserved = name is null or MetricFamily.OverflowLabelName or "quantile" ||
            (name == "le" && Instrument is Histogram<byte> or Histogram<short> or Histogram<int> or Histogram<long> or Histogram<float> or Histogram<double> or Histogram<decimal>);
        return reserved ? null : name;
    }

    private TagLayout LayoutOf(ReadOnlySpan<KeyValuePair<string, object?>> tags, MetricFamily<TSeries> family)
    {
        TagLayout[] layouts = Volatile.Read(ref _layouts);
        foreach (TagLayout known in layouts)
        {
            if (known.MatchesByIdentity(tags))
            {
                if (!known.DropsTags)
                {
                    _layout = known;
                }

                return known;
            }
        }

        foreach (TagLayout known in layouts)
        {
            if (known.MatchesByValue(tags))
            {
                return known;
            }
        }

        TagLayout layout = NewLayout(tags, family.LabelNameArray);
        lock (_gate)
        {
            if (_layouts.Length < MaxLayouts)
            {
                Volatile.Write(ref _layouts, [.. _layouts, layout]);
                if (!layout.DropsTags)
                {
                    _layout = layout;
                }
            }
        }

        return layout;
    }

    private TagLayout NewLayout(ReadOnlySpan<KeyValuePair<string, object?>> tags, string[] labelNames)
    {
        int[] tagOfLabel = new int[labelNames.Length];
        tagOfLabel.AsSpan().Fill(-1);
        bool drops = false;
        string[] keys = new string[tags.Length];
        for (int i = 0; i < tags.Length; i++)
        {
            keys[i] = tags[i].Key;
            string? name = tags[i].Key is null ? null : UsableLabel(tags[i].Key);
            int label = name is null ? -1 : Array.IndexOf(labelNames, name);
            if (label < 0 || tagOfLabel[label] >= 0)
            {
                // No label for it, or a second key that sanitises to a label already filled.
                drops = true;
                continue;
            }

            tagOfLabel[label] = i;
        }

        return new TagLayout(keys, tagOfLabel, drops);
    }

    private TSeries AddSeries(ReadOnlySpan<KeyValuePair<string, object?>> tags, TagLayout layout, MetricFamily<TSeries> family)
    {
        int[] tagOfLabel = layout.TagOfLabel;
        object?[] values = new object?[tagOfLabel.Length];
        string[] labelValues = new string[tagOfLabel.Length];
        for (int label = 0; label < tagOfLabel.Length; label++)
        {
            object? value = tagOfLabel[label] < 0 ? null : tags[tagOfLabel[label]].Value;
            values[label] = value;
            labelValues[label] = TagValues.Format(value);
        }

        TSeries series = family.WithLabels(labelValues);
        if (!ReferenceEquals(series, family.OverflowSeries))
        {
            _index!.Add(values, series);
        }

        return series;
    }
}
