namespace Aria.Metrics.Labels;

/// <summary>What a family does for its series table: validate label values and make a new series from them.</summary>
internal interface ISeriesFactory<out TSeries>
{
    /// <summary>Validates <paramref name="labelValues"/> (throwing, naming the metric) and creates the series.</summary>
    TSeries CreateSeries(ReadOnlySpan<string> labelValues);
}
