using System.Runtime.CompilerServices;
using Aria.Metrics.Exposition;
using Aria.Metrics.Labels;

namespace Aria.Metrics;

/// <summary>
/// A family whose series are reached by label values. A labeled family holds at most <see cref="SeriesLimit"/> series;
/// its series can be removed (<see cref="Remove"/>, <see cref="Clear"/>) or left to expire (<see cref="SeriesExpiry"/>).
/// </summary>
/// <typeparam name="TSeries">The series type.</typeparam>
public abstract class MetricFamily<TSeries> : MetricFamily, ISeriesOwner<TSeries>
    where TSeries : Series
{
    /// <summary>The expiry field's value while the family follows its registry's default.</summary>
    private const long InheritExpiry = long.MinValue;

    private readonly SeriesTable<TSeries>? _table;
    private TSeries[] _unlabeled = [];
    private TSeries? _unlabeledSeries;
    private int _seriesLimit;
    private long _expiryTicks = InheritExpiry;
    private CounterSeries? _refusals;
    private int _limitReported;

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

    /// <summary>
    /// The most series the family exposes, its overflow series included: past <c>SeriesLimit - 1</c> series, a label
    /// set the family has not seen is not created, and its measurements go to one overflow series labelled
    /// <c>metrics_overflow="true"</c> (<see cref="MetricFamily.OverflowLabelName"/>). Unless set here, the registry's
    /// <see cref="MetricRegistry.DefaultSeriesLimit"/> (2000 unless changed). Lowering it below the current count
    /// removes nothing; it stops new series until enough are removed or expire. A family without labels has one
    /// series and ignores it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int SeriesLimit
    {
        get
        {
            int own = Volatile.Read(ref _seriesLimit);
            return own != 0 ? own : Registry?.DefaultSeriesLimit ?? MetricRegistry.StandardSeriesLimit;
        }

        set
        {
            if (value < 1)
            {
                Errors.InvalidSeriesLimit(Name, value);
            }

            Volatile.Write(ref _seriesLimit, value);
            OnSeriesLimitChanged();
        }
    }

    /// <summary>
    /// How long a series may go without changing before a scrape removes it, as <see cref="Remove"/> does; null for
    /// never. Unless set here, the registry's <see cref="MetricRegistry.DefaultSeriesExpiry"/> (never unless changed);
    /// setting null here turns expiry off for this family whatever the registry's default. Expiry is checked at each
    /// scrape, by comparing a series' values with those of the previous scrape: a counter or histogram series expires
    /// when it was not updated, a gauge when its value did not change (setting a gauge to the value it already holds is
    /// not seen). A family without labels never expires its series.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan? SeriesExpiry
    {
        get
        {
            long own = Volatile.Read(ref _expiryTicks);
            return own == InheritExpiry ? Registry?.DefaultSeriesExpiry : own == 0 ? null : TimeSpan.FromTicks(own);
        }

        set
        {
            if (value <= TimeSpan.Zero)
            {
                Errors.InvalidSeriesExpiry(Name, value.Value);
            }

            Volatile.Write(ref _expiryTicks, value?.Ticks ?? 0);
        }
    }

    int ISeriesOwner<TSeries>.SeriesLimit => SeriesLimit;

    long ISeriesOwner<TSeries>.ExpiryTimestamps
    {
        get
        {
            if (SeriesExpiry is not { } expiry)
            {
                return 0;
            }

            double timestamps = (double)expiry.Ticks * Clock.TimestampFrequency / TimeSpan.TicksPerSecond;
            return timestamps >= long.MaxValue ? long.MaxValue : Math.Max(1, (long)timestamps);
        }
    }

    long ISeriesOwner<TSeries>.Now => Clock.GetTimestamp();

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

    /// <summary>The overflow series while it is attached, for tests and the table's owner.</summary>
    internal TSeries? OverflowSeries => _table?.Overflow;

    /// <summary>Every attached series, in a stable order (creation order).</summary>
    private protected SeriesView<TSeries> AllSeries => _table?.Series ?? new SeriesView<TSeries>(_unlabeled, _unlabeled.Length);

    /// <summary><see cref="AllSeries"/>, with their labels in the encoder's encoding in one array when it has one.</summary>
    private protected SeriesView<TSeries> SeriesFor(FormatEncoder encoder) =>
        _table is not null && encoder.LabelsOf(this) is { } encoding ? _table.SeriesWithLabels(encoding) : AllSeries;

    private TimeProvider Clock => Registry?.Time ?? TimeProvider.System;

    /// <summary>
    /// The series with these label values, created on first use. Known series are found without a lock or an
    /// allocation; keep the returned handle to skip even the lookup on the hottest paths. When the family is at its
    /// <see cref="SeriesLimit"/> and these values are new, the result is the family's overflow series.
    /// </summary>
    /// <exception cref="ArgumentException">The count of values differs from the label names, or a value is null.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TSeries WithLabels(params ReadOnlySpan<string> labelValues) =>
        _table is not null ? _table.GetOrAdd(labelValues) : CheckedUnlabeled(labelValues.Length);

    /// <summary>
    /// Removes the series with these label values: scrapes stop exposing it and the family forgets it, which makes
    /// room under the limit. Nothing is reset: a handle to the series kept by a caller still works, and an update
    /// through it brings the series back, with its values, from the next scrape on; so does <see cref="WithLabels"/>
    /// with the same values while the series object is still alive. Other lookups keep their speed.
    /// </summary>
    /// <returns>True when a series was removed; false when the family had none with these values.</returns>
    /// <exception cref="ArgumentException">The count of values differs from the label names.</exception>
    /// <exception cref="InvalidOperationException">The family has no labels.</exception>
    public bool Remove(params ReadOnlySpan<string> labelValues)
    {
        if (_table is null)
        {
            Errors.NothingToRemove(Name);
        }

        if (labelValues.Length != LabelNameArray.Length)
        {
            Errors.WrongLabelCount(Name, LabelNames, labelValues.Length);
        }

        return _table.Remove(labelValues);
    }

    /// <summary>
    /// Removes every series, the overflow series included, as <see cref="Remove"/> does for one, and re-arms the
    /// registry's <see cref="MetricRegistry.SeriesLimitReached"/> warning for this family.
    /// </summary>
    /// <exception cref="InvalidOperationException">The family has no labels.</exception>
    public void Clear()
    {
        if (_table is null)
        {
            Errors.NothingToRemove(Name);
        }

        _table.Clear();
        Volatile.Write(ref _limitReported, 0);
    }

    TSeries ISeriesOwner<TSeries>.CreateSeries(ReadOnlySpan<string> labelValues)
    {
        byte[] block = LabelBlock.Encode(Name, LabelNameArray, labelValues);
        return NewSeries(labelValues.ToArray(), block);
    }

    TSeries ISeriesOwner<TSeries>.CreateOverflowSeries() => NewSeries([], LabelBlock.Overflow);

    long ISeriesOwner<TSeries>.Fingerprint(TSeries series) => Fingerprint(series);

    void ISeriesOwner<TSeries>.OnRefused()
    {
        CounterSeries refusals = Volatile.Read(ref _refusals) ?? RegisterRefusals();
        refusals.Inc();
        if (Volatile.Read(ref _limitReported) == 0 && Interlocked.Exchange(ref _limitReported, 1) == 0)
        {
            Registry!.ReportSeriesLimitReached(this, SeriesLimit);
        }
    }

    internal override void OnSeriesLimitChanged()
    {
        _table?.LimitChanged();
        Volatile.Write(ref _limitReported, 0);
    }

    private protected override void Maintain() => _table?.Maintain();

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

    /// <summary>A number that any update changing the series changes; see <see cref="ISeriesOwner{TSeries}.Fingerprint"/>.</summary>
    private protected abstract long Fingerprint(TSeries series);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private CounterSeries RegisterRefusals()
    {
        CounterSeries refusals = Registry!.RefusalsOf(this);
        Volatile.Write(ref _refusals, refusals);
        return refusals;
    }

    private TSeries CheckedUnlabeled(int given)
    {
        if (given != 0)
        {
            Errors.WrongLabelCount(Name, LabelNames, given);
        }

        return Unlabeled;
    }
}
