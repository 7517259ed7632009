using System.Diagnostics.Metrics;
using Aria.Metrics.Meters;

namespace Aria.Metrics;

/// <summary>The bridge from <c>System.Diagnostics.Metrics</c>: meters' instruments exposed as the registry's families.</summary>
public sealed partial class MetricRegistry
{
    private const string InstrumentsRefusedName = "metrics_meter_instruments_refused_total";
    private const string MeasurementsDroppedName = "metrics_meter_measurements_dropped_total";
    private const string TagsDroppedName = "metrics_meter_tags_dropped_total";

    /// <summary>
    /// Raised when an instrument of a meter bridged by <see cref="AddMeters"/> cannot be exported, or a measurement of it
    /// is dropped or recorded without some tags: once per instrument and kind of problem, on the thread of the
    /// measurement (or of the instrument's publication). <c>Aria.Metrics.Server</c> logs it as a warning. Every
    /// occurrence is counted in the registry's own metrics (see <see cref="MeterProblemKind"/>). A handler that throws is ignored.
    /// </summary>
    public event EventHandler<MeterProblemEventArgs>? MeterProblemFound;

    /// <summary>
    /// Exposes the instruments of the named <c>System.Diagnostics.Metrics</c> meters in this registry, through a
    /// <see cref="MeterListener"/>: <c>Counter</c> and <c>ObservableCounter</c> as counters (<c>_total</c>),
    /// <c>UpDownCounter</c>, <c>ObservableUpDownCounter</c>, <c>Gauge</c> and <c>ObservableGauge</c> as gauges,
    /// <c>Histogram</c> as a histogram with the instrument's advised bucket boundaries; every numeric type. Names follow
    /// OpenTelemetry's Prometheus compatibility rules (the unit as a suffix, invalid characters as <c>_</c>). A family is
    /// registered at its instrument's first measurement, with the tags of that measurement as its labels; observable
    /// instruments are read at every scrape by one collect callback, under the scrape's deadline. Bad input never
    /// reaches the caller's <c>Add</c> or <c>Record</c>: it is counted and reported through <see cref="MeterProblemFound"/>.
    /// The series limit applies to bridged families as to any other. See docs/meters.md.
    /// </summary>
    /// <param name="meterNames">Meter names: exact, or a prefix ending in <c>*</c> (<c>Microsoft.AspNetCore.*</c>; <c>*</c> for all).</param>
    /// <returns>The bridge; disposing it stops listening and unregisters every family it added.</returns>
    /// <exception cref="ArgumentException">No name was given, or one is empty or has a <c>*</c> anywhere but at its end.</exception>
    public IDisposable AddMeters(params string[] meterNames)
    {
        ArgumentNullException.ThrowIfNull(meterNames);
        if (meterNames.Length == 0)
        {
            Errors.InvalidMeterPattern(string.Empty, "no meter name was given");
        }

        return new MeterBridge(this, [.. meterNames.Select(MeterNamePattern.Parse)]);
    }

    /// <summary>
    /// Registers a family the meter bridge made, refusing the name when any family holds it already: the bridge never
    /// writes into a family it did not add, even one of the same definition.
    /// </summary>
    internal T RegisterBridged<T>(T candidate)
        where T : MetricFamily
    {
        lock (_gate)
        {
            if (_byFamilyName.ContainsKey(candidate.FamilyName))
            {
                Errors.NameTakenByOtherMetric(candidate.Name);
            }

            return Register(candidate);
        }
    }

    /// <summary>Removes a family, so that scrapes no longer write it and its names are free again.</summary>
    internal void Unregister(MetricFamily family)
    {
        lock (_gate)
        {
            if (!_byFamilyName.TryGetValue(family.FamilyName, out MetricFamily? registered) || !ReferenceEquals(registered, family))
            {
                return;
            }

            _byFamilyName.Remove(family.FamilyName);
            foreach (string sample in (string[])[family.FamilyName, .. family.ExposedNames])
            {
                if (_bySampleName.TryGetValue(sample, out MetricFamily? owner) && ReferenceEquals(owner, family))
                {
                    _bySampleName.Remove(sample);
                }
            }

            Volatile.Write(ref _sorted, [.. _sorted.Where(registeredFamily => !ReferenceEquals(registeredFamily, family))]);
        }
    }

    /// <summary>Counts an instrument that is not exported, and reports it (once: an instrument is refused once).</summary>
    internal void OnInstrumentRefused(Instrument instrument, string? metric, MeterProblemKind kind, string detail)
    {
        string reason = kind == MeterProblemKind.NameTaken ? "name_taken" : "invalid";
        SelfCounter(InstrumentsRefusedName, "Instruments of bridged meters that are not exported, by reason.", "meter", "instrument", "reason")
            ?.WithLabels(instrument.Meter.Name, instrument.Name, reason).Inc();
        RaiseMeterProblem(new MeterProblemEventArgs(instrument.Meter.Name, instrument.Name, metric, kind, detail));
    }

    /// <summary>Counts a dropped measurement; <paramref name="detail"/> is set for the first of its kind per instrument, which is reported.</summary>
    internal void OnMeasurementDropped(BridgedInstrument instrument, MeterProblemKind kind, string? detail)
    {
        bool invalidValue = kind == MeterProblemKind.InvalidValue;
        CounterSeries? count = invalidValue ? instrument.InvalidValueCount : instrument.InvalidTagCount;
        if (count is null)
        {
            count = SelfCounter(MeasurementsDroppedName, "Measurements of bridged meters that were dropped, by reason.", "metric", "reason")
                ?.WithLabels(instrument.MetricName, invalidValue ? "invalid_value" : "invalid_tag");
            if (invalidValue)
            {
                instrument.InvalidValueCount = count;
            }
            else
            {
                instrument.InvalidTagCount = count;
            }
        }

        count?.Inc();
        if (detail is not null)
        {
            RaiseMeterProblem(new MeterProblemEventArgs(instrument.Instrument.Meter.Name, instrument.Instrument.Name, instrument.MetricName, kind, detail));
        }
    }

    /// <summary>Counts a measurement recorded without some of its tags; <paramref name="detail"/> is set for the first, which is reported.</summary>
    internal void OnTagsDropped(BridgedInstrument instrument, MetricFamily family, string? detail)
    {
        CounterSeries? count = instrument.TagsDroppedCount;
        if (count is null)
        {
            count = SelfCounter(TagsDroppedName, "Measurements of bridged meters recorded without the tags their metric has no label for.", "metric")
                ?.WithLabels(family.Name);
            instrument.TagsDroppedCount = count;
        }

        count?.Inc();
        if (detail is not null)
        {
            RaiseMeterProblem(new MeterProblemEventArgs(instrument.Instrument.Meter.Name, instrument.Instrument.Name, family.Name, MeterProblemKind.TagsDropped, detail));
        }
    }

    /// <summary>One of the bridge's own counters, registered at first use; null when a different metric holds the name.</summary>
    private Counter? SelfCounter(string name, string help, params string[] labelNames)
    {
        try
        {
            return CreateCounter(name, help, labelNames);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private void RaiseMeterProblem(MeterProblemEventArgs problem)
    {
        try
        {
            MeterProblemFound?.Invoke(this, problem);
        }
#pragma warning disable CA1031 // A failing subscriber must not reach the code being measured.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
