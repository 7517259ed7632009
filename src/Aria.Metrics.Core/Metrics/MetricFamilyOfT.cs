using System.Runtime.CompilerServices;
using Aria.Metrics.Labels;

namespace Aria.Metrics;

/// <summary>A family whose series are reached by label values.</summary>
/// <typeparam name="TSeries">The series type.</typeparam>
public abstract class MetricFamily<TSeries> : MetricFamily, ISeriesFactory<TSeries>
    where TSeries : Series
{
    private readonly SeriesTable<TSeries>? _table;
    private TSeries[] _unlabeled = [];
    private TSeries? _unlabeledSeries;

    private protected MetricFamily(MetricType type, string name, string help, string[] labelNames, string suffix)
        : base(type, name, help, labelNames, suffix)
    {
        if (labelNames.Length != 0)
        {
            _table = new SeriesTable<TSeries>(this);
        }
    }

    /// <inheritdoc />
    public override int SeriesCount => _table?.Count ?? _unlabeled.Length;

    /// <summary>The only series of a family without labels; throws for a labeled family.</summary>
    protected TSeries Unlabeled
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            TSeries? series = _unlabeledSeries;
            if (series is null)
            {
                Errors.LabelsRequired(Name, LabelNames);
            }

            return series;
        }
    }

    /// <summary>Every series, in a stable order (creation order).</summary>
    private protected ReadOnlySpan<TSeries> AllSeries => _table is null ? _unlabeled : _table.Series;

    /// <summary>
    /// The series with these label values, created on first use. Known series are found without a lock or an
    /// allocation; keep the returned handle to skip even the lookup on the hottest paths.
    /// </summary>
    /// <exception cref="ArgumentException">The count of values differs from the label names, or a value is null.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TSeries WithLabels(params ReadOnlySpan<string> labelValues) =>
        _table is not null ? _table.GetOrAdd(labelValues) : CheckedUnlabeled(labelValues.Length);

    TSeries ISeriesFactory<TSeries>.CreateSeries(ReadOnlySpan<string> labelValues)
    {
        byte[] block = LabelBlock.Encode(Name, LabelNameArray, labelValues);
        return NewSeries(labelValues.ToArray(), block);
    }

    /// <summary>Creates the series of an unlabeled family; sealed subclasses call it last in their constructor.</summary>
    private protected void CreateUnlabeledSeries()
    {
        if (_table is null)
        {
            _unlabeledSeries = NewSeries([], LabelBlock.None);
            _unlabeled = [_unlabeledSeries];
        }
    }

    /// <summary>Makes a series from validated label values and their encoded label text.</summary>
    private protected abstract TSeries NewSeries(string[] key, byte[] labelText);

    private TSeries CheckedUnlabeled(int given)
    {
        if (given != 0)
        {
            Errors.WrongLabelCount(Name, LabelNames, given);
        }

        return Unlabeled;
    }
}
