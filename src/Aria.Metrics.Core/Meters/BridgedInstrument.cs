using System.Diagnostics.Metrics;

namespace Aria.Metrics.Meters;

/// <summary>
/// One instrument of a bridged meter, as the <see cref="MeterListener"/> sees it: the state its measurement callbacks
/// receive. Whole-number measurements arrive as <see cref="long"/>, the others as <see cref="double"/>; nothing a
/// measurement brings is thrown back into the caller's <c>Add</c> or <c>Record</c>.
/// </summary>
internal abstract class BridgedInstrument
{
    private int _reported;

    private protected BridgedInstrument(MeterBridge bridge, Instrument instrument, string metricName)
    {
        Bridge = bridge;
        Instrument = instrument;
        MetricName = metricName;
    }

    /// <summary>The instrument.</summary>
    public Instrument Instrument { get; }

    /// <summary>The name its family is registered under (a counter's without <c>_total</c>).</summary>
    public string MetricName { get; }

    /// <summary>
    /// The help text: the instrument's description, or where it has none, its name and meter, so that the exposition
    /// passes promtool's lint (which wants a help text on every metric).
    /// </summary>
    public string Help => string.IsNullOrWhiteSpace(Instrument.Description)
        ? $"Instrument {Instrument.Name} of meter {Instrument.Meter.Name}."
        : Instrument.Description;

    private protected MeterBridge Bridge { get; }

    /// <summary>This instrument's series of the registry's count of its dropped measurements, once there was one; one per reason.</summary>
    internal CounterSeries? InvalidValueCount { get; set; }

    /// <summary>See <see cref="InvalidValueCount"/>.</summary>
    internal CounterSeries? InvalidTagCount { get; set; }

    /// <summary>This instrument's series of the registry's count of measurements recorded without some of their tags.</summary>
    internal CounterSeries? TagsDroppedCount { get; set; }

    /// <summary>Records a whole-number measurement.</summary>
    public abstract void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    /// <summary>Records a measurement.</summary>
    public abstract void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    /// <summary>Whether a problem of this kind is being reported for the first time by this instrument.</summary>
    internal bool FirstReportOf(MeterProblemKind kind)
    {
        int bit = 1 << (int)kind;
        return (Volatile.Read(ref _reported) & bit) == 0 && (Interlocked.Or(ref _reported, bit) & bit) == 0;
    }
}
