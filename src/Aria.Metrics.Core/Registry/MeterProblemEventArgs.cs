namespace Aria.Metrics;

/// <summary>
/// What <see cref="MetricRegistry.MeterProblemFound"/> reports: an instrument of a bridged meter that could not be
/// exported, or a measurement of it that was altered or dropped. Raised once per instrument and kind of problem.
/// </summary>
public sealed class MeterProblemEventArgs : EventArgs
{
    internal MeterProblemEventArgs(string meter, string instrument, string? metric, MeterProblemKind kind, string detail)
    {
        Meter = meter;
        Instrument = instrument;
        Metric = metric;
        Kind = kind;
        Detail = detail;
    }

    /// <summary>The name of the instrument's meter.</summary>
    public string Meter { get; }

    /// <summary>The instrument's name.</summary>
    public string Instrument { get; }

    /// <summary>The Prometheus name the instrument has or would have had, when it has one.</summary>
    public string? Metric { get; }

    /// <summary>What went wrong.</summary>
    public MeterProblemKind Kind { get; }

    /// <summary>A sentence saying what went wrong, naming what was involved.</summary>
    public string Detail { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Meter}/{Instrument}: {Kind}: {Detail}";
}
