using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Aria.Metrics.Meters;

/// <summary>
/// What <see cref="MetricRegistry.AddMeters"/> returns: a <see cref="MeterListener"/> that enables every instrument of
/// the named meters, records their measurements into families of the registry, and reads the observable ones at
/// scrape time through one collect callback (so under the scrape's deadline, single flight). Disposing it stops the
/// listener and unregisters every family it added.
/// <para>
/// Two instruments with the same Prometheus name and kind (the same instrument of two meters of one name, as each host
/// of <c>IMeterFactory</c> makes) share one family: its label names are those of the first measurement. A name taken by
/// a metric the bridge did not add, or by a bridged instrument of another kind, refuses the instrument.
/// </para>
/// </summary>
internal sealed class MeterBridge : IDisposable
{
    private readonly MetricRegistry _registry;
    private readonly MeterNamePattern[] _patterns;
    private readonly MeterListener _listener;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, MetricFamily> _families = new(StringComparer.Ordinal);
    private IDisposable? _observation;
    private bool _disposed;

    public MeterBridge(MetricRegistry registry, MeterNamePattern[] patterns)
    {
        _registry = registry;
        _patterns = patterns;
        _listener = new MeterListener
        {
            InstrumentPublished = OnInstrumentPublished,
        };

        // One callback per numeric type: whole numbers stay whole, so that a Counter<long> counts exactly.
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => Unsafe.As<BridgedInstrument>(state!).Record((long)value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => Unsafe.As<BridgedInstrument>(state!).Record((long)value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => Unsafe.As<BridgedInstrument>(state!).Record((long)value, tags));
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => Unsafe.As<BridgedInstrument>(state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => Unsafe.As<BridgedInstrument>(state!).Record((double)value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => Unsafe.As<BridgedInstrument>(state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => Unsafe.As<BridgedInstrument>(state!).Record((double)value, tags));
        _listener.Start();
    }

    /// <summary>The instruments enabled so far, for tests.</summary>
    internal int InstrumentCount { get; private set; }

    /// <summary>Stops listening and unregisters the families the bridge added; a second call does nothing.</summary>
    public void Dispose()
    {
        MetricFamily[] families;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            families = [.. _families.Values];
            _families.Clear();
        }

        _listener.Dispose();
        _observation?.Dispose();
        foreach (MetricFamily family in families)
        {
            _registry.Unregister(family);
        }
    }

    /// <summary>
    /// The family of an instrument at its first measurement: the shared one of its name when the kinds agree, else a
    /// new one. Null when the instrument is refused, which is counted and reported here.
    /// </summary>
    internal MetricFamily<TSeries>? FamilyFor<TSeries>(BridgedInstrument<TSeries> instrument, string[] labelNames)
        where TSeries : Series
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return null;
            }

            if (_families.TryGetValue(instrument.MetricName, out MetricFamily? shared))
            {
                if (shared is MetricFamily<TSeries> same && same.Type == ExpectedType(instrument))
                {
                    return same;
                }

                Refuse(instrument, MeterProblemKind.NameTaken, $"metric '{instrument.MetricName}' was added for a bridged instrument of another kind ({shared.Type.ToString().ToLowerInvariant()})");
                return null;
            }

            MetricFamily<TSeries> family;
            try
            {
                family = _registry.RegisterBridged(instrument.NewFamily(labelNames));
            }
            catch (InvalidOperationException exception)
            {
                Refuse(instrument, MeterProblemKind.NameTaken, exception.Message);
                return null;
            }
            catch (ArgumentException exception)
            {
                Refuse(instrument, MeterProblemKind.InvalidDefinition, exception.Message);
                return null;
            }

            _families.Add(instrument.MetricName, family);
            return family;
        }
    }

    /// <summary>Counts a dropped measurement; <paramref name="detail"/> is set for the first of its kind per instrument, which is reported.</summary>
    internal void DropMeasurement(BridgedInstrument instrument, MeterProblemKind kind, string? detail) =>
        _registry.OnMeasurementDropped(instrument, kind, detail);

    /// <summary>Counts a measurement recorded without some of its tags, and reports it once per instrument.</summary>
    internal void DropTags<TSeries>(BridgedInstrument<TSeries> instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags, MetricFamily<TSeries> family)
        where TSeries : Series
    {
        string? detail = null;
        if (instrument.FirstReportOf(MeterProblemKind.TagsDropped))
        {
            var dropped = new List<string>();
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                string? label = tag.Key is null ? null : PrometheusNames.LabelName(tag.Key);
                if (label is null || !family.LabelNameArray.Contains(label))
                {
                    dropped.Add(tag.Key ?? "(null)");
                }
            }

            detail = $"tags ({string.Join(", ", dropped)}) have no label in metric '{family.Name}' (labels: {string.Join(", ", family.LabelNameArray)}, " +
                "fixed by its first measurement, or a second key that sanitises to the same label); measurements are recorded without them";
        }

        _registry.OnTagsDropped(instrument, family, detail);
    }

    private static MetricType ExpectedType(BridgedInstrument instrument) => instrument switch
    {
        BridgedCounter or BridgedObservableCounter => MetricType.Counter,
        BridgedHistogram => MetricType.Histogram,
        _ => MetricType.Gauge,
    };

    private static BridgedInstrument? Bridge(MeterBridge bridge, Instrument instrument)
    {
        Type definition = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : instrument.GetType();
        bool isGauge = definition == typeof(Gauge<>) || definition == typeof(ObservableGauge<>) ||
            definition == typeof(UpDownCounter<>) || definition == typeof(ObservableUpDownCounter<>);
        string? name = PrometheusNames.MetricName(instrument.Name, instrument.Unit, isGauge);
        if (name is null)
        {
            return null;
        }

        if (definition == typeof(Counter<>))
        {
            return new BridgedCounter(bridge, instrument, name);
        }

        if (definition == typeof(ObservableCounter<>))
        {
            return new BridgedObservableCounter(bridge, instrument, name);
        }

        if (definition == typeof(UpDownCounter<>))
        {
            return new BridgedUpDownCounter(bridge, instrument, name);
        }

        if (definition == typeof(Histogram<>))
        {
            return new BridgedHistogram(bridge, instrument, name, BridgedHistogram.BucketsOf(instrument));
        }

        return isGauge ? new BridgedGauge(bridge, instrument, name) : null;
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!Matches(instrument.Meter.Name))
        {
            return;
        }

        BridgedInstrument? bridged = Bridge(this, instrument);
        if (bridged is null)
        {
            _registry.OnInstrumentRefused(instrument, null, MeterProblemKind.InvalidDefinition,
                $"no Prometheus name can be made of '{instrument.Name}', or {instrument.GetType().Name} is not an instrument kind the bridge knows");
            return;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            InstrumentCount++;
            if (instrument.IsObservable && _observation is null)
            {
                // Registered with the first observable instrument, so that a bridge without any adds no callback.
                _observation = _registry.AddCollectCallback(_listener.RecordObservableInstruments);
            }
        }

        listener.EnableMeasurementEvents(instrument, bridged);
    }

    private bool Matches(string meterName)
    {
        foreach (MeterNamePattern pattern in _patterns)
        {
            if (pattern.Matches(meterName))
            {
                return true;
            }
        }

        return false;
    }

    private void Refuse(BridgedInstrument instrument, MeterProblemKind kind, string detail) =>
        _registry.OnInstrumentRefused(instrument.Instrument, instrument.MetricName, kind, detail);
}
