namespace Aria.Metrics;

/// <summary>
/// What a kind of series keeps only once it needs it, beside the family's name: the object that takes the place of the
/// name in <see cref="Series.NameOrExtras"/>, so that a series that never needs it pays no word for it.
/// </summary>
internal abstract class SeriesExtras(string metric)
{
    /// <summary>The family's name, for error messages.</summary>
    public string Metric { get; } = metric;
}
