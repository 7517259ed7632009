using Aria.Metrics.Cells;

namespace Aria.Metrics;

/// <summary>
/// The parts of a counter series that most series never use: the fractional cell (the first non-whole increment
/// creates it) and the exemplar slot (the first exemplar, or creation when the family takes exemplars from the current
/// activity). A whole-number counter without exemplars stays at six words, within issue 10's budget of 200 bytes a series.
/// </summary>
internal sealed class CounterExtras(string metric) : SeriesExtras(metric)
{
    /// <summary>The sum of fractional increments made before the series was striped, as the bits of a double.</summary>
    public long FractionBits;

    /// <summary>The latest exemplar's slot, or null while the series has had none.</summary>
    public ExemplarSlot? Exemplar;
}
